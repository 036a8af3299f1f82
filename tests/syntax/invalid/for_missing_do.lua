-- error: for_missing_do.lua:3: 'do' expected near 'print'
for i = 1, 2, 3
  print(i)
end
