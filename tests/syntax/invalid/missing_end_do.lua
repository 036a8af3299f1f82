-- error: missing_end_do.lua:4: 'end' expected (to close 'do' at line 2) near <eof>
do
  local x = 1
