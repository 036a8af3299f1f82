-- error: for_missing_in.lua:2: 'in' expected near '='
for k, v = pairs(t) do end
