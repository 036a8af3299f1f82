-- The Lua 5.3 math functions that lua5.4 keeps (LUA_COMPAT_MATHLIB):
-- programs written against Debian's lua5.4 call them.
local function show(label, ...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    t[i] = math.type(v) and (math.type(v) .. " " .. string.format("%.17g", v)) or tostring(v)
  end
  print(label, table.concat(t, ", "))
end

show("pow", math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1/3), math.pow(0, 0), math.pow(2, -1074))
show("log10", math.log10(1000), math.log10(0.001), math.log10(0), math.log10(2))
show("cosh", math.cosh(0), math.cosh(1), math.cosh(-2))
show("sinh", math.sinh(0), math.sinh(1), math.sinh(-2))
show("tanh", math.tanh(0), math.tanh(1), math.tanh(-30), math.tanh(math.huge))
show("atan2", math.atan2(1, 1), math.atan2(-1, -1), math.atan2(0, -1), math.atan2(1))
show("frexp", math.frexp(8))
show("frexp", math.frexp(-0.375))
show("frexp", math.frexp(0))
show("frexp", math.frexp(1e300))
show("frexp", math.frexp(5e-324))
show("ldexp", math.ldexp(0.5, 4), math.ldexp(1, -1074), math.ldexp(1, 1024), math.ldexp(-3, 2))
show("ldexp", math.ldexp(0.75, 1023), math.ldexp(1, -1075), math.ldexp(0, 5000))
-- frexp and ldexp undo each other
local ok = true
for _, x in ipairs{1, -1, 0.1, 123456.789, 2^60, -2^-1000} do
  local m, e = math.frexp(x)
  ok = ok and math.ldexp(m, e) == x and (m == 0 or (math.abs(m) >= 0.5 and math.abs(m) < 1))
end
print("round trip", ok)
-- integers are accepted where numbers are; results are floats
show("types", math.pow(3, 2), math.log10(100), math.ldexp(3, 1))
-- argument errors name the function
print(pcall(math.pow, 2))
print(pcall(math.ldexp, 1, 1.5))
print(pcall(math.frexp, "x"))
print(pcall(math.cosh))
