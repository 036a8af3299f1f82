-- error: expr_statement.lua:2: syntax error near '+'
x + 1
