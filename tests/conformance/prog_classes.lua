-- A larger program: a class system with inheritance via metatables
-- (constructors, super calls, method overriding, class-level fields,
-- __tostring/__eq/__lt/__add/__len/__index fallbacks inherited through
-- the chain, isinstance checks, and mixins).
local function class(parent)
  local c = {}
  c.__index = c
  if parent then
    setmetatable(c, {__index = parent})
    for _, mm in ipairs({"__tostring", "__eq", "__lt", "__le", "__add", "__len", "__call", "__concat"}) do
      if rawget(c, mm) == nil and parent[mm] then c[mm] = parent[mm] end
    end
  end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  return c
end
local function isinstance(o, cls)
  local m = getmetatable(o)
  while m do
    if m == cls then return true end
    m = m.super
  end
  return false
end
local Shape = class()
Shape.count = 0
function Shape:init(name) self.name = name Shape.count = Shape.count + 1 end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
Shape.__tostring = function(s) return "Shape(" .. s.name .. ")" end
Shape.__lt = function(a, b) return a:area() < b:area() end
Shape.__le = function(a, b) return a:area() <= b:area() end
Shape.__eq = function(a, b) return a:area() == b:area() end
local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect") self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
Rect.__add = function(a, b) return Rect.new(a.w + b.w, a.h + b.h) end
local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s) self.name = "square" end
function Square:describe() return "A square! " .. Rect.describe(self) end
local Circle = class(Shape)
function Circle:init(r) self.super.init(self, "circle") self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end
Circle.__tostring = function(c) return "Circle(r=" .. c.r .. ")" end
local shapes = {Rect.new(3, 4), Square.new(3), Circle.new(1), Rect.new(1, 1), Square.new(2)}
for _, s in ipairs(shapes) do print(tostring(s), s:describe()) end
print("count", Shape.count)
table.sort(shapes)
local names = {}
for i, s in ipairs(shapes) do names[i] = s.name .. ":" .. string.format("%.1f", s:area()) end
print(table.concat(names, " "))
print(Rect.new(2, 2) == Square.new(2), Rect.new(2, 3) == Rect.new(3, 2), Rect.new(1, 2) == Circle.new(1))
print(Rect.new(1, 1) < Circle.new(1), Square.new(2) <= Rect.new(2, 2))
local sum = Rect.new(1, 2) + Square.new(3)
print(tostring(sum), sum.w, sum.h, sum:area(), isinstance(sum, Rect), isinstance(sum, Square))
print(isinstance(Square.new(1), Shape), isinstance(Circle.new(1), Rect), isinstance({}, Shape))
-- mixins
local Comparable = {max = function(self, other) if self < other then return other end return self end}
local function include(cls, mixin) for k, v in pairs(mixin) do cls[k] = v end end
include(Shape, Comparable)
print(tostring(Rect.new(1, 1):max(Circle.new(2))))
-- class-level fields are shared; instance fields shadow them
Shape.color = "none"
local r = Rect.new(1, 1)
print(r.color, Square.new(1).color)
r.color = "red"
print(r.color, Rect.new(1, 1).color, rawget(Rect, "color"))
-- missing methods
print(pcall(function() return r:perimeter() end))
-- a stack class with __len and __index fallback for numeric access
local Stack = class()
function Stack:init() self.items = {} end
function Stack:push(...) for _, v in ipairs({...}) do self.items[#self.items + 1] = v end return self end
function Stack:pop() return table.remove(self.items) end
Stack.__len = function(s) return #s.items end
Stack.__concat = function(a, b) local s = Stack.new() s:push(table.unpack(a.items)) s:push(table.unpack(b.items)) return s end
local st = Stack.new():push(1, 2, 3)
local st2 = st .. Stack.new():push(4)
print(#st, #st2, st2:pop(), st2:pop(), #st2)
