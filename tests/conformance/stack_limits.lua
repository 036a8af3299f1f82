-- The stack holds 1,000,000 slots, as Lua 5.4's: deep recursion, long
-- slices and huge unpacks fail with Lua's messages, and the program goes on.
local function f(n) return 1 + f(n + 1) end
print(pcall(f, 1))
local depth = 0
local function g() depth = depth + 1 g() end
print(pcall(g))
print(depth > 100000)
print(select("#", table.unpack({}, 1, 999000)))
print(pcall(table.unpack, {}, 1, 1e6 + 10))
print(pcall(string.byte, string.rep("x", 1e7), 1, -1))
print(#string.rep("x", 1e7):sub(5))
-- after an overflow the stack is usable again
print(select("#", table.unpack({}, 1, 500000)), f ~= nil)
