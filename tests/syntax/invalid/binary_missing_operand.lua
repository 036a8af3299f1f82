-- error: binary_missing_operand.lua:3: unexpected symbol near <eof>
local x = 1 +
