-- error: return_not_last.lua:4: 'end' expected (to close 'function' at line 2) near 'print'
function f()
  return 1
  print(2)
end
