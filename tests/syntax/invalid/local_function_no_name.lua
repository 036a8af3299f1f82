-- error: local_function_no_name.lua:2: <name> expected near '('
local function (x) end
