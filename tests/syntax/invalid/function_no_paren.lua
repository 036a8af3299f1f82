-- error: function_no_paren.lua:3: '(' expected near 'return'
function f
  return 1
end
