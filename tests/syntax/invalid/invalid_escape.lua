-- error: invalid_escape.lua:2: invalid escape sequence near '"a\q'
local s = "a\qb"
