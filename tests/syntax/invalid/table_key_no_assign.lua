-- error: table_key_no_assign.lua:2: '=' expected near '2'
local t = { [1] 2 }
