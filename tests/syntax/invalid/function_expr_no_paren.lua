-- error: function_expr_no_paren.lua:2: '(' expected near 'x'
local f = function x end
