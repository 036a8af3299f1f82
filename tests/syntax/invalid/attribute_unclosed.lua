-- error: attribute_unclosed.lua:2: '>' expected near '='
local x <const = 1
