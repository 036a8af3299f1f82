-- Ends with an uncaught runtime error: stdout printed before it must be
-- kept, the exit status is 1, and stderr's first line is
-- "coro: FILE:LINE: message" (the runner maps lua5.4's prefix).
print("before the error")
io.write("partial line without newline")
local t = nil
local function f() return t.field end
f()
print("never printed")
