-- error: missing_do.lua:3: 'do' expected near 'x'
while x
  x = x - 1
end
