-- error: paren_statement.lua:3: syntax error near <eof>
(f)
