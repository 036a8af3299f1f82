-- error: paren_unclosed.lua:3: ')' expected (to close '(' at line 2) near 'print'
local x = (1 + 2
print(x)
