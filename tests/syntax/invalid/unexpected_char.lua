-- error: unexpected_char.lua:2: unexpected symbol near '@'
local x = 1 @ 2
