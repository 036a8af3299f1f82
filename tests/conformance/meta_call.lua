-- __call: callable tables with arguments and multiple results, nested
-- __call (a callable whose __call is a callable table), use as iterator
-- and in pcall, method-call syntax, and errors for non-callable values.
local counter = setmetatable({n = 0}, {__call = function(self, inc)
  self.n = self.n + (inc or 1)
  return self.n, "calls"
end})
print(counter(), counter(10), counter())
print(select("#", counter()))
local inner = setmetatable({}, {__call = function(self, a, b) return "inner", a, b end})
local outer = setmetatable({}, {__call = inner})
local r1, r2, r3, r4 = outer(1, 2)
print(r1, r2 == outer, r3, r4)
-- pcall on callable table
print(pcall(counter, 100))
-- callable as generic-for iterator
local it = setmetatable({i = 0}, {__call = function(self)
  self.i = self.i + 1
  if self.i <= 3 then return self.i end
end})
for v in it do io.write(v, " ") end
print()
-- varargs passing through __call
local va = setmetatable({}, {__call = function(_, ...) return select("#", ...), ... end})
print(va(), va(nil), va(1, nil, 3))
-- tail call of a callable
local function tail(x) return counter(x) end
print(tail(1000))
-- library functions that want a function do not accept callables
-- (string.gsub sees a table and indexes it)
local cmp = setmetatable({}, {__call = function(_, a, b) return a > b end})
local arr = {3, 1, 2}
print(pcall(table.sort, arr, cmp))
table.sort(arr, function(x, y) return cmp(x, y) end)
print(table.concat(arr, " "))
print(pcall(string.gsub, "abc", "%w", setmetatable({}, {__call = function(_, c) return c:upper() end})))
-- errors
print(pcall(function() local t = {} t() end))
print(pcall(function() local t = setmetatable({}, {__call = 5}) t() end))
print(pcall(function() local t = setmetatable({}, {}) return t(1) end))
print(pcall(function() local x = nil; x() end))
print(pcall(function() local s = "str"; s() end))
-- __call on a class object used as a constructor
local Point = setmetatable({}, {__call = function(cls, x, y)
  return setmetatable({x = x, y = y}, cls)
end})
Point.__index = Point
function Point:len2() return self.x * self.x + self.y * self.y end
local pt = Point(3, 4)
print(pt.x, pt.y, pt:len2())
