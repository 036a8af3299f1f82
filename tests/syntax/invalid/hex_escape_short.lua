-- error: hex_escape_short.lua:2: hexadecimal digit expected near '"\x4"'
local s = "\x4"
