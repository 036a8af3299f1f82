-- error: malformed_number_double_point.lua:2: malformed number near '3.4.5'
local n = 3.4.5
