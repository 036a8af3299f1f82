-- error: expr_missing.lua:3: unexpected symbol near <eof>
local x = 
