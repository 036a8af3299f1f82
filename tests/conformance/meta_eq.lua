-- __eq: only called when both operands are tables (or both userdata) and
-- not primitively equal; result converted to boolean; ~= is its negation;
-- never used for different types or for table keys; either operand's
-- metamethod is used.
local count = 0
local E = {__eq = function(a, b) count = count + 1 return a.v == b.v end}
local x, y, z = setmetatable({v = 1}, E), setmetatable({v = 1}, E), setmetatable({v = 2}, E)
print(x == y, x == z, x ~= y, x ~= z, count)
print(x == x, count)           -- same object: no call
print(x == 1, 1 == x, x == "1", x == nil, count)  -- different types: no call
local plain = {v = 1}
print(x == plain, plain == x, count)  -- one side has __eq: it is used
-- result is converted to a boolean
local weird = {__eq = function() return "yes" end}
local w1, w2 = setmetatable({}, weird), setmetatable({}, weird)
print(w1 == w2, w1 ~= w2)
local nilres = {__eq = function() return nil end}
print(setmetatable({}, nilres) == setmetatable({}, nilres))
-- different __eq on each side: the left one is tried first
local left = setmetatable({}, {__eq = function() return true end})
local right = setmetatable({}, {__eq = function() return false end})
print(left == right, right == left)
-- table keys use raw equality
local t = {}
t[x] = "x"; t[y] = "y"
print(t[x], t[y])
-- rawequal ignores __eq
print(rawequal(x, y), rawequal(x, x), rawequal(1, 1.0), rawequal("a", "a"))
-- __eq not called for numbers/strings with metatables
print(1 == 1.0, "a" == "a")
-- errors inside __eq propagate
print(pcall(function() return setmetatable({}, {__eq = function() error("eq boom") end}) == {} end))
-- in table.remove-style searches
local list = {setmetatable({v = 3}, E), setmetatable({v = 4}, E)}
local needle = setmetatable({v = 4}, E)
for i, v in ipairs(list) do if v == needle then print("found at", i) end end
