-- error: elseif_after_else.lua:4: 'end' expected (to close 'if' at line 2) near 'elseif'
if a then
else
elseif b then
end
