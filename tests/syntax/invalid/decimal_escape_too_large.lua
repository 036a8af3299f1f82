-- error: decimal_escape_too_large.lua:2: decimal escape too large near '"\256"'
local s = "\256"
