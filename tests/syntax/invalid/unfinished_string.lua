-- error: unfinished_string.lua:2: unfinished string near '"abc'
local s = "abc
print(s)
