-- error: else_after_else.lua:4: 'end' expected (to close 'if' at line 2) near 'else'
if a then
else
else
end
