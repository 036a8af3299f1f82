-- error: table_missing_separator.lua:2: '}' expected near 'b'
local t = { a = 1 b = 2 }
