-- error: malformed_number_exponent.lua:2: malformed number near '1e+'
local n = 1e+
