-- error: for_missing_comma.lua:2: ',' expected near '2'
for i = 1 2 do end
