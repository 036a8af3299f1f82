-- error: for_no_name.lua:2: <name> expected near '1'
for 1 = 1, 2 do end
