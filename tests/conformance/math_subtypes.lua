-- math library corners beyond math_lib.lua: which results are integers and
-- which floats (floor/ceil/modf at the edges of the integer range, abs and
-- fmod with integers, min/max keeping the winning argument, numeric strings),
-- tointeger on strings and floats, log with bases, atan quadrants, ult, and
-- random's range rules.
local function show(v)
  local mt = math.type(v)
  if mt == "float" then return tostring(v) .. "f" end
  if mt == "integer" then return tostring(v) .. "i" end
  return type(v) .. ":" .. tostring(v)
end
local function p(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = show(t[i]) end
  print(table.concat(t, " "))
end
local mi, ma = math.mininteger, math.maxinteger
p(math.floor(2^62), math.floor(2^63), math.floor(-2^63), math.floor(-2^63 - 1025))
p(math.ceil(2^63 - 1024), math.ceil(-2^63 + 0.5), math.ceil(1 / 0), math.ceil(-1 / 0))
p(math.floor(-0.0), math.ceil(-0.0), math.ceil(-0.5), math.floor(0.5))
p(math.floor("7.9"), math.ceil("7.1"), math.floor("10"), math.floor(" 0x10 "))
p(math.modf(2^53), math.modf(-2^53 - 2), math.modf(2^63), math.modf(-2^63))
p(math.modf(7), math.modf(-7), math.modf(mi), math.modf(-0.25))
p(math.modf("2.5"), math.modf(1 / 0))
p(math.abs(mi), math.abs(mi + 1), math.abs(-1 / 0), math.abs("-2"), math.abs("-2.5"))
p(math.fmod(mi, -1), math.fmod(mi, 1), math.fmod(mi, ma), math.fmod(ma, mi), math.fmod(-1, mi))
p(math.fmod(7, 3.0), math.fmod(-7.0, 3), math.fmod(7, "3"), math.fmod("7", "3"))
p(math.fmod(5.5, 1 / 0), math.fmod(-5.5, -1 / 0), math.fmod(0, 3), math.fmod(-0.0, 3))
p(math.max(1, 1.0), math.max(1.0, 1), math.min(1, 1.0), math.min(1.0, 1))
p(math.max(3, 7.5, 7), math.min(-1, -1.5, "x" < "y" and -2 or 0), math.max(mi, ma), math.min(ma, mi))
p(math.max("10", "9"), math.min("10", "9"), math.max("a"), math.max(-0.0, 0), math.max(0, -0.0))
local mt = {__lt = function(a, b) return a.v < b.v end}
local A, B = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(math.max(A, B) == B, math.min(A, B) == A, math.max(B, A, B) == B)
print(pcall(math.max, 1, {}))
print(pcall(math.min, "a", 1))
p(math.tointeger("42"), math.tointeger("4.0"), math.tointeger("4.5"), math.tointeger(" 0x1p4 "))
p(math.tointeger(2^63), math.tointeger(-2^63), math.tointeger(ma + 0.0), math.tointeger(1e308))
p(math.tointeger(true), math.tointeger("x"), math.tointeger(-0.0), math.tointeger(1 / 0))
p(math.log(1024, 2), math.log(1 / 1024, 2), math.log(1e-3, 10), math.log(81, 3), math.log(2, 2.0))
p(math.log(0), math.log(0, 10), math.log(1 / 0, 2), math.log(8, 1 / 0))
p(math.log(-1) ~= math.log(-1), math.log(0, 0) ~= math.log(0, 0), math.log(1, 1) ~= math.log(1, 1))
p(math.exp(0), math.exp(-1 / 0), math.exp(1000), math.sqrt(1 / 0), math.sqrt(-0.0))
p(math.atan(0, 1), math.atan(0, -1), math.atan(-0.0, -1), math.atan(1, 0), math.atan(-1, 0))
p(math.atan(1 / 0, 1 / 0), math.atan(-1 / 0, -1 / 0), math.atan(0), math.atan(1 / 0))
p(math.sin(-0.0), math.cos(math.pi), math.tan(-0.0), math.asin(-1), math.acos(-1), math.acos(2) ~= math.acos(2))
p(math.deg(math.pi / 2), math.rad(90), math.deg(-1), math.rad(-180), math.deg(0), math.rad(1 / 0))
p(math.ult(mi, ma), math.ult(ma, mi), math.ult(-2, -1), math.ult(0, mi), math.ult(3.0, 4))
print(pcall(math.ult, 1, 2.5))
print(pcall(math.ult, "3", 4))
p(math.type(0), math.type(0.0), math.type(mi), math.type(2^63), math.type("1"), math.type(A))
print(pcall(math.floor, {}))
print(pcall(math.fmod, 1))
print(pcall(math.fmod, mi, 0))
print(math.fmod(1, 0.0) ~= math.fmod(1, 0.0), math.fmod(1.5, -0.0) ~= 0)
print(pcall(math.log))
print(pcall(math.modf))
print(pcall(math.abs, "x"))
print(pcall(math.random, 1, ma, 3))
print(pcall(math.random, ma, mi))
print(pcall(math.random, 3.5))
print(pcall(math.random, 1, 2.5))
print(pcall(math.random, "1", "x"))
print(pcall(math.randomseed, "x"))
print(pcall(math.randomseed, 1, 2.5))
-- random: ranges at the edges of the integer range
math.randomseed(2024)
local ok = true
for i = 1, 2000 do
  local a = math.random(mi, mi + 3)
  local b = math.random(ma - 3, ma)
  local c = math.random(-1, 1)
  local d = math.random(mi, ma)
  local e = math.random(ma)
  if a < mi or a > mi + 3 or b < ma - 3 or c < -1 or c > 1 or e < 1 then ok = false end
  if math.type(a) ~= "integer" or math.type(d) ~= "integer" then ok = false end
end
print(ok)
print(math.random(0, 0), math.random(1, 1), math.random(mi, mi), math.random(ma, ma), math.random(1))
print(pcall(math.random, 0, -1), pcall(math.random, -5))
-- same seed, same sequence, for every kind of call
local function draw()
  return {math.random(), math.random(10), math.random(-5, 5), math.random(0), math.random(mi, ma)}
end
math.randomseed(77, 3)
local s1 = draw()
math.randomseed(77, 3)
local s2 = draw()
math.randomseed(77, 4)
local s3 = draw()
local same, differ = true, false
for i = 1, #s1 do
  if s1[i] ~= s2[i] then same = false end
  if s1[i] ~= s3[i] then differ = true end
end
print(same, differ)
