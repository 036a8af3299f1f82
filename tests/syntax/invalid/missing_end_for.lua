-- error: missing_end_for.lua:4: 'end' expected (to close 'for' at line 2) near <eof>
for i = 1, 3 do
  print(i)
