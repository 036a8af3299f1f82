-- error: index_unclosed.lua:3: ']' expected near <eof>
local x = t[1
