-- __lt and __le: mixed operand orders, > and >= swapping operands,
-- results converted to booleans,
-- mixing tables with numbers and strings, and the comparison errors.
local log = {}
local function tos(v) return type(v) == "table" and v.name or tostring(v) end
local M = {
  __lt = function(a, b) log[#log + 1] = tos(a) .. "<" .. tos(b) return (type(a) == "table" and a.v or a) < (type(b) == "table" and b.v or b) end,
  __le = function(a, b) log[#log + 1] = tos(a) .. "<=" .. tos(b) return (type(a) == "table" and a.v or a) <= (type(b) == "table" and b.v or b) end,
}
local a = setmetatable({name = "a", v = 1}, M)
local b = setmetatable({name = "b", v = 2}, M)
print(a < b, a > b, a <= b, a >= b, b < a, b <= a)
print(table.concat(log, " ")); log = {}
print(a < 5, 5 < a, a <= 1, 1 >= a, a > 0)
print(table.concat(log, " ")); log = {}
-- (a table with only __lt is not compared with <=: the manual removed the
-- emulation but Debian's lua5.4 is built with LUA_COMPAT_LT_LE)
-- results are converted to boolean
local Truthy = {__lt = function() return "yes" end, __le = function() return nil end}
local t1, t2 = setmetatable({}, Truthy), setmetatable({}, Truthy)
print(t1 < t2, t1 <= t2, not (t1 < t2))
-- in conditions
if a < b then print("a<b branch") end
while b < a do print("never") end
-- errors without metamethods
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= 1 end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "a" < 1 end))
print(pcall(function() return nil < 1 end))
print(pcall(function() return true > false end))
print(pcall(function() local f = print return f < f end))
-- __lt for strings with metatables is not consulted (strings compare natively)
print("a" < "b", "B" < "a", "abc" < "abd", "" < "\0")
-- sorting with __lt
local items = {}
for i, v in ipairs({5, 3, 8, 1}) do items[i] = setmetatable({name = "i" .. v, v = v}, M) end
table.sort(items)
local names = {}
for i, it in ipairs(items) do names[i] = it.name end
print(table.concat(names, " "))
