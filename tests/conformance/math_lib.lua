-- math library: abs ceil floor (integer results for floats that fit, float
-- otherwise), sqrt exp log (natural, base 2, base 10, other bases), fmod
-- and modf, min/max, huge/pi/maxinteger/mininteger, tointeger, type, ult,
-- trigonometry, and argument errors.
local function p(...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    if math.type(v) == "float" then t[i] = string.format("%.14g(f)", v)
    elseif math.type(v) == "integer" then t[i] = tostring(v) .. "(i)"
    else t[i] = tostring(v) end
  end
  print(table.concat(t, " ", 1, t.n))
end
p(math.abs(-3), math.abs(3), math.abs(-3.5), math.abs(math.mininteger), math.abs(-0.0))
p(math.ceil(3.2), math.ceil(-3.2), math.ceil(3), math.ceil(1e100), math.ceil(-0.5), math.ceil(2^62))
p(math.floor(3.7), math.floor(-3.7), math.floor(3), math.floor(-1e100), math.floor(2^63), math.floor(-2^63))
p(math.floor(0.0), math.floor(-0.0), math.ceil(math.huge), math.floor(-math.huge))
p(math.sqrt(16), math.sqrt(2), math.sqrt(-1) ~= math.sqrt(-1), math.sqrt(0))
p(math.exp(0), math.exp(1), math.log(1), math.log(math.exp(2)))
p(math.log(8, 2), math.log(1024, 2), math.log(100, 10), math.log(1000, 10), math.log(27, 3), math.log(0))
p(math.log(2, 2), math.log(10, 4), math.log(-1) ~= math.log(-1))
p(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2), math.fmod(-7.5, 2))
p(math.fmod(math.mininteger, -1), math.fmod(5, math.huge), math.fmod(3, 5))
p(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(math.huge), math.modf(-math.huge))
p(math.modf(-0.0), math.modf(0.5))
p(math.min(3, 1, 2), math.max(3, 1, 2), math.min(1.5, 2), math.max(-1, -1.5), math.min(5), math.max(2, 2.0))
p(math.huge, -math.huge, math.pi, math.maxinteger, math.mininteger)
p(math.tointeger(3.0), math.tointeger(3.5), math.tointeger(2^63), math.tointeger(-2^63), math.tointeger(8))
p(math.tointeger({}), math.tointeger(0/0), math.tointeger(-0.0))
p(math.type(1), math.type(1.0), math.type("1"), math.type(nil), math.type({}))
p(math.ult(1, 2), math.ult(-1, 2), math.ult(2, -1), math.ult(math.maxinteger, math.mininteger), math.ult(0, 0))
p(math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1))
p(math.atan(1, 1), math.atan(1, -1), math.atan(-1, -1), math.atan(0, -1), math.atan(1, 0))
p(math.sin(math.pi / 6), math.cos(math.pi / 3), math.deg(math.pi), math.rad(180))
p(math.floor(-0.5), math.ceil(-0.5), 3 // 1, 3.5 // 1)
local function e(f, ...) local ok, err = pcall(f, ...) print(err) end
e(math.floor, "x")
e(math.floor, "3.7")
e(math.abs)
e(math.max)
e(math.min)
e(math.fmod, 1, 0)
e(math.fmod, 1)
e(math.sqrt, "a")
e(math.ult, 1.5, 2)
e(math.log, "e")
e(math.tointeger)
-- floor/ceil of numeric strings
p(math.floor("3.7"), math.ceil("-3.2"))
