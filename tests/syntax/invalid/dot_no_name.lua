-- error: dot_no_name.lua:3: <name> expected near <eof>
local x = t.
