-- error: string_statement.lua:2: unexpected symbol near '"hello"'
"hello"
