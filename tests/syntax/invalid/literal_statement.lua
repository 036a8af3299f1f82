-- error: literal_statement.lua:2: unexpected symbol near '1'
1
