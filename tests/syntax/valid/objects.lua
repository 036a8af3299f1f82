-- Classes, inheritance, metamethods, data structures, closures.

local Class = {}
Class.__index = Class

function Class:extend(fields)
  local cls = setmetatable(fields or {}, self)
  cls.__index = cls
  cls.super = self
  return cls
end

function Class:new(...)
  local obj = setmetatable({}, self)
  if obj.init then obj:init(...) end
  return obj
end

function Class:is(cls)
  local mt = getmetatable(self)
  while mt do
    if mt == cls then return true end
    mt = getmetatable(mt)
  end
  return false
end

-- A 2D vector with arithmetic metamethods --------------------------------

local Vec = Class:extend { kind = "vec" }

function Vec:init(x, y) self.x, self.y = x or 0, y or 0 end
Vec.__add = function(a, b) return Vec:new(a.x + b.x, a.y + b.y) end
Vec.__sub = function(a, b) return Vec:new(a.x - b.x, a.y - b.y) end
Vec.__mul = function(a, b)
  if type(a) == "number" then return Vec:new(a * b.x, a * b.y) end
  if type(b) == "number" then return Vec:new(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
Vec.__unm = function(a) return Vec:new(-a.x, -a.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len() < b:len() end
Vec.__le = function(a, b) return not (b < a) end
Vec.__len = function(a) return 2 end
Vec.__tostring = function(a) return ("(%g, %g)"):format(a.x, a.y) end
Vec.__concat = function(a, b) return tostring(a) .. tostring(b) end
Vec.__call = function(self, k) return self[k] end
Vec.__idiv = function(a, n) return Vec:new(a.x // n, a.y // n) end
Vec.__mod = function(a, n) return Vec:new(a.x % n, a.y % n) end
Vec.__pow = function(a, n) return Vec:new(a.x ^ n, a.y ^ n) end
Vec.__band = function(a, b) return Vec:new(a.x & b.x, a.y & b.y) end
Vec.__bor = function(a, b) return Vec:new(a.x | b.x, a.y | b.y) end
Vec.__bxor = function(a, b) return Vec:new(a.x ~ b.x, a.y ~ b.y) end
Vec.__shl = function(a, n) return Vec:new(a.x << n, a.y << n) end
Vec.__shr = function(a, n) return Vec:new(a.x >> n, a.y >> n) end
Vec.__bnot = function(a) return Vec:new(~a.x, ~a.y) end
Vec.__close = function() end
Vec.__name = "Vec"

function Vec:len() return math.sqrt(self * self) end

local a, b = Vec:new(3, 4), Vec:new(1, 2)
local c = -(a + b) * 2 - a
assert(a:len() == 5 and #a == 2 and a("x") == 3)
assert((a // 2).x == 1 and (a % 2).y == 0 and (Vec:new(3, 5) & Vec:new(1, 4)).y == 4)
print(a .. b, c, a == Vec:new(3, 4), a < b, a <= b)

-- Inheritance --------------------------------------------------------------

local Animal = Class:extend()
function Animal:init(name, sound) self.name, self.sound = name, sound end
function Animal:speak() return self.name .. " says " .. self.sound end

local Dog = Animal:extend()
function Dog:init(name) Dog.super.init(self, name, "woof") end
function Dog:fetch(thing) return self.name .. " fetches the " .. (thing or "ball") end

local d = Dog:new("Rex")
assert(d:is(Dog) and d:is(Animal) and not d:is(Vec))
print(d:speak(), d:fetch(), d:fetch "stick")

-- A binary heap priority queue ---------------------------------------------

local Heap = Class:extend()

function Heap:init(less) self.items, self.size, self.less = {}, 0, less or function(x, y) return x < y end end

function Heap:push(v)
  self.size = self.size + 1
  local items, i = self.items, self.size
  items[i] = v
  while i > 1 do
    local parent = i // 2
    if not self.less(items[i], items[parent]) then break end
    items[i], items[parent] = items[parent], items[i]
    i = parent
  end
end

function Heap:pop()
  if self.size == 0 then return nil end
  local items = self.items
  local top = items[1]
  items[1] = items[self.size]
  items[self.size] = nil
  self.size = self.size - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.size and self.less(items[l], items[m]) then m = l end
    if r <= self.size and self.less(items[r], items[m]) then m = r end
    if m == i then break end
    items[i], items[m] = items[m], items[i]
    i = m
  end
  return top
end

local h = Heap:new()
for _, v in ipairs { 5, 3, 8, 1, 9, 2 } do h:push(v) end
local sorted = {}
for v in function() return h:pop() end do sorted[#sorted + 1] = v end
assert(table.concat(sorted, ",") == "1,2,3,5,8,9")

-- A doubly linked list with an iterator ------------------------------------

local List = {}
List.__index = List

function List.new() return setmetatable({ first = nil, last = nil, n = 0 }, List) end

function List:push(v)
  local node = { value = v, prev = self.last }
  if self.last then self.last.next = node else self.first = node end
  self.last = node
  self.n = self.n + 1
  return self
end

function List:iter()
  local node = self.first
  return function()
    if node then
      local v = node.value
      node = node.next
      return v
    end
  end
end

local l = List.new():push(1):push(2):push(3)
local total = 0
for v in l:iter() do total = total + v end
assert(total == 6)

-- Memoization with weak tables, varargs and select ---------------------------

local function memoize(f)
  local cache = setmetatable({}, { __mode = "k" })
  return function(x, ...)
    local hit = cache[x]
    if hit == nil then
      hit = table.pack(f(x, ...))
      cache[x] = hit
    end
    return table.unpack(hit, 1, hit.n)
  end
end

local calls = 0
local slow_square = memoize(function(x) calls = calls + 1; return x * x, x end)
assert(slow_square(4) == 16 and slow_square(4) == 16 and calls == 1)

local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s
end
assert(sum(1, 2, nil, 4) == 7)

-- Sets with operators ----------------------------------------------------------

local Set = {}
Set.__index = Set
function Set.new(list)
  local s = setmetatable({}, Set)
  for _, v in ipairs(list or {}) do s[v] = true end
  return s
end
Set.__add = function(a, b)
  local r = Set.new()
  for k in pairs(a) do r[k] = true end
  for k in pairs(b) do r[k] = true end
  return r
end
Set.__mul = function(a, b)
  local r = Set.new()
  for k in pairs(a) do r[k] = b[k] end
  return r
end
Set.__tostring = function(s)
  local keys = {}
  for k in pairs(s) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  return "{" .. table.concat(keys, ", ") .. "}"
end
print(Set.new { 1, 2, 3 } + Set.new { 3, 4 }, Set.new { 1, 2, 3 } * Set.new { 2, 3, 4 })

-- Closures capturing loop variables and upvalues shared between closures -----

local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
assert(get() == 2)

local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
assert(fns[1]() + fns[2]() + fns[3]() == 6)

-- Proxies with __index/__newindex functions ------------------------------------

local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error("attempt to update a read-only table: " .. tostring(k), 2) end,
    __len = function() return #t end,
    __pairs = function() return next, t, nil end,
  })
end
local days = readonly { "Sunday", "Monday", "Tuesday" }
assert(days[2] == "Monday" and #days == 3)
assert(not pcall(function() days[1] = "x" end))

return { Class = Class, Vec = Vec, Heap = Heap, List = List, Set = Set }
