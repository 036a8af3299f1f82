-- error: unexpected_control_char.lua:2: unexpected symbol near '<\1>'
local x = 1  2
