-- CRLF line endings, plus a lone CR and LF CR pairs below.
local a = 1
local b = [[
line
line]]
local c = 'x\
y'
local d = 2local e = 3
local f = 4

return a + d + e + f, b, c
