-- error: missing_until.lua:4: 'until' expected (to close 'repeat' at line 2) near 'end'
repeat
  x = 1
end
