-- error: table_unclosed.lua:5: '}' expected (to close '{' at line 2) near <eof>
local t = {
  a = 1,
  b = 2
