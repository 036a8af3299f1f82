-- error: malformed_number_dots.lua:2: malformed number near '1..2'
local n = 1..2
