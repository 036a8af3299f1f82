-- error: unknown_attribute.lua:2: unknown attribute 'foo'
local x <foo> = 1
