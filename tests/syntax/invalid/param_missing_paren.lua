-- error: param_missing_paren.lua:2: ')' expected near 'b'
function f(a b) end
