-- error: call_unclosed.lua:4: ')' expected (to close '(' at line 2) near <eof>
print(1,
  2
