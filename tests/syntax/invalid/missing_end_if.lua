-- error: missing_end_if.lua:6: 'end' expected (to close 'if' at line 2) near <eof>
if x then
  y = 1
else
  y = 2
