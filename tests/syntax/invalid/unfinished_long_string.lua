-- error: unfinished_long_string.lua:5: unfinished long string (starting at line 2) near <eof>
local s = [==[
abc
]=]
