-- error: missing_end_function.lua:4: 'end' expected (to close 'function' at line 2) near <eof>
function f()
  return 1
