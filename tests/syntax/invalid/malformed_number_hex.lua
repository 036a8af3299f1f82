-- error: malformed_number_hex.lua:2: malformed number near '0xg'
local n = 0xg
