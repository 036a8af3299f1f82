-- error: hex_escape_missing.lua:2: hexadecimal digit expected near '"\xZ'
local s = "\xZZ"
