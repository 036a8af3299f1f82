-- assert: returning all its arguments on success, the default message,
-- string and non-string messages (tables, numbers, nil), and string
-- messages getting the position of the function that called assert.
print(assert(1, "unused", 3))
print(assert(true))
print(select("#", assert(1, nil, nil)))
print(pcall(assert, false))
print(pcall(assert, nil))
print(pcall(assert, false, "custom message"))
print(pcall(assert, nil, 42))
local tbl = {}
local ok, e = pcall(assert, false, tbl)
print(ok, e == tbl)
print(pcall(assert, false, nil))
print(pcall(assert))
print(pcall(assert, 0))
print(pcall(assert, ""))
-- assert called from a Lua function: its position is prefixed
print(pcall(function() assert(1 == 2, "math broke") end))
print(pcall(function() assert(false) end))
-- typical idioms
local function parse(s) return assert(tonumber(s), "not a number: " .. s) end
print(pcall(parse, "12"))
print(pcall(parse, "zz"))
local f = assert(load("return 5"))
print(f())
print(pcall(function() return assert(load("return +")) end))
print(pcall(function() return assert(io.open("/nonexistent/x")) end))
