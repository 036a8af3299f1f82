-- error: missing_then.lua:3: 'then' expected near 'y'
if x == 1
  y = 2
end
