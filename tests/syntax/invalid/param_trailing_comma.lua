-- error: param_trailing_comma.lua:2: <name> or '...' expected near ')'
function f(a,) end
