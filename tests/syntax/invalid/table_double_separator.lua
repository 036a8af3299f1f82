-- error: table_double_separator.lua:2: unexpected symbol near ','
local t = { 1,, 2 }
