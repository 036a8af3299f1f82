-- error: missing_end_while.lua:4: 'end' expected (to close 'while' at line 2) near <eof>
while x do
  x = x - 1
