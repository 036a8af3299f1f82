-- error: name_statement.lua:3: syntax error near <eof>
x
