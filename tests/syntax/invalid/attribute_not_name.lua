-- error: attribute_not_name.lua:2: <name> expected near '1'
local x <1> = 1
