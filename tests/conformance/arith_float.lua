-- Float arithmetic: float results, infinities, NaN, signed zero, float
-- floor division and modulo with negative operands, fmod vs %.
local function p(label, v)
  print(label, math.type(v), v)
end
local inf, nan = math.huge, 0 / 0

p("1.5+2.5", 1.5 + 2.5)
p("0.1+0.2", 0.1 + 0.2)
p("0.1+0.2==0.3", 0.1 + 0.2 == 0.3)
p("1/3", 1 / 3)
p("2/3", 2 / 3)
p("10/2", 10 / 2)
p("1e308*10", 1e308 * 10)
p("-1e308*10", -1e308 * 10)
p("inf-inf is nan", (inf - inf) ~= (inf - inf))
p("inf*0 is nan", (inf * 0) ~= (inf * 0))
p("1/0", 1 / 0)
p("-1/0", -1 / 0)
p("1/-0.0", 1 / -0.0)
p("0.0 == -0.0", 0.0 == -0.0)
p("-0.0", -0.0)
p("0.0*-1", 0.0 * -1)
p("3.0", 3.0)
p("-3.0", -3.0)
p("1e15", 1e15)
p("2^53", 2 ^ 53)
p("2^53+1", 2 ^ 53 + 1)
p("float+int", 1.0 + 1)
p("int+float", 1 + 1.0)
p("int*float", 3 * 0.5)

-- float floor division and modulo
local as = {7.5, -7.5, 5.0, -5.0, 0.5, -0.5}
local bs = {2.0, -2.0, 0.75, -0.75}
for _, a in ipairs(as) do
  local row = {}
  for _, b in ipairs(bs) do
    row[#row + 1] = string.format("%g//%g=%g %g%%%g=%g", a, b, a // b, a, b, a % b)
  end
  print(table.concat(row, "  "))
end
p("5.3 % 2", 5.3 % 2)
p("-5.3 % 2", -5.3 % 2)
p("5.3 % -2", 5.3 % -2)
p("5 % 2.5", 5 % 2.5)
p("-0.0 % 1", -0.0 % 1)
p("1 % inf", 1 % inf)
p("-1 % inf", -1 % inf)
p("inf % 2 nan", (inf % 2) ~= (inf % 2))
p("5.0 // 0", 5.0 // 0)
p("-5.0 // 0", -5.0 // 0)
p("5.0 % 0 nan", (5.0 % 0) ~= (5.0 % 0))
p("5 % 0.0 nan", (5 % 0.0) ~= (5 % 0.0))
p("math.fmod(-7, 3)", math.fmod(-7, 3))
p("math.fmod(7, -3)", math.fmod(7, -3))
p("math.fmod(-7.5, 2)", math.fmod(-7.5, 2))
p("math.fmod(7, inf)", math.fmod(7, inf))

-- NaN behaviour
print("nan == nan", nan == nan, "nan ~= nan", nan ~= nan)
print("nan < 1", nan < 1, "nan > 1", nan > 1, "nan <= nan", nan <= nan)
print("max with nan first", math.max(nan, 1) ~= math.max(nan, 1))
local t = {}
print("nan key", pcall(function() t[nan] = 1 end))
print("nan read", t[nan])

-- float accumulation
local s = 0.0
for i = 1, 1000 do s = s + 0.1 end
p("sum 0.1 x1000", s)
print(string.format("%.17g", s))
local prod = 1.0
for i = 1, 20 do prod = prod * i end
p("20!", prod)
p("170!>1e306", (function() local f = 1.0 for i = 1, 170 do f = f * i end return f end)() > 1e306)
p("171! overflow", (function() local f = 1.0 for i = 1, 171 do f = f * i end return f end)())
-- exponent
p("2^0.5", 2 ^ 0.5)
p("10^-2", 10 ^ -2)
p("(-2)^2", (-2) ^ 2)
p("(-2)^3", (-2) ^ 3)
p("0^0", 0 ^ 0)
p("inf^0", inf ^ 0)
p("2^1024", 2 ^ 1024)
p("2^-1080", 2 ^ -1080)
