-- error: method_name_missing.lua:2: <name> expected near '('
function a:() end
