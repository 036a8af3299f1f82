-- methods: method calls through metatables with __index classes and a
-- two-level inheritance chain; measures self calls, field access and
-- __index table lookups.
local N = tonumber(arg and arg[1]) or 5000000
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:add(o) self.x = self.x + o.x self.y = self.y + o.y return self end
function Point:norm1() return math.abs(self.x) + math.abs(self.y) end
local Point3 = setmetatable({}, {__index = Point})
Point3.__index = Point3
function Point3.new(x, y, z) local p = Point.new(x, y) p.z = z return setmetatable(p, Point3) end
function Point3:norm1() return Point.norm1(self) + math.abs(self.z) end
local p = Point.new(0, 0)
local d = Point.new(1, -2)
for i = 1, N do p:add(d) end
local q = Point3.new(1, 2, 3)
local s = 0
for i = 1, N do s = s + q:norm1() end
local Counter = {}
Counter.__index = Counter
function Counter:tick() self.n = self.n + 1 end
function Counter:get() return self.n end
local cs = {}
for i = 1, 10 do cs[i] = setmetatable({n = 0}, Counter) end
for r = 1, N / 10 do for i = 1, 10 do cs[i]:tick() end end
local t = 0
for i = 1, 10 do t = t + cs[i]:get() end
print(string.format("p=(%d,%d) s=%d ticks=%d", p.x, p.y, s, t))
