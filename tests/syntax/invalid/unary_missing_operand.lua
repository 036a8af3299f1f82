-- error: unary_missing_operand.lua:3: unexpected symbol near <eof>
local x = - 
