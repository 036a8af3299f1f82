-- error: table_key_unclosed.lua:2: ']' expected near '='
local t = { [1 = 2 }
