-- error: unexpected_high_byte.lua:2: unexpected symbol near '<\233>'
local xé = 1
