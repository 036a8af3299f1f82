-- error: for_missing_eq_in.lua:2: '=' or 'in' expected near '1'
for i 1, 2 do end
