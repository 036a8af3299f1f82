-- error: param_not_name.lua:2: <name> or '...' expected near '1'
function f(a, 1) end
