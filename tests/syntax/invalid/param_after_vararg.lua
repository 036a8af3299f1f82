-- error: param_after_vararg.lua:2: ')' expected near ','
function f(..., a) end
