-- error: malformed_number.lua:2: malformed number near '3x'
local n = 3x
