-- Integer arithmetic: subtypes, wrap-around at 64 bits, floor division and
-- modulo with every sign combination, mininteger corner cases, exponent.
local function p(label, v)
  print(label, math.type(v), v)
end

local maxi, mini = math.maxinteger, math.mininteger
p("maxinteger", maxi)
p("mininteger", mini)
p("max+1", maxi + 1)
p("min-1", mini - 1)
p("max*2", maxi * 2)
p("min*-1", mini * -1)
p("-min", -mini)
p("max*max", maxi * maxi)
p("min*min", mini * mini)
p("min//-1", mini // -1)
p("min%-1", mini % -1)
p("max//-1", maxi // -1)
p("min//1", mini // 1)
p("min%1", mini % 1)
p("big mul", 123456789 * 987654321)
p("wrap mul", 1234567890123 * 9876543210)
p("wrap add", 0x7fffffffffffffff + 0x7fffffffffffffff)
p("hex wrap", 0xffffffffffffffff)
p("hex wrap2", 0x10000000000000000)
p("hex neg", -0x8000000000000000)

-- floor division and modulo, all signs
local vals = {7, -7, 3, -3, 1, -1, 13, -13, 0}
local divs = {3, -3, 2, -2, 1, -1, 5, -5, 7}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(divs) do
    row[#row + 1] = string.format("%d//%d=%d %d%%%d=%d", a, b, a // b, a, b, a % b)
  end
  print(table.concat(row, "  "))
end

-- invariants: a == (a//b)*b + a%b, and a%b has the sign of b
local bad = 0
for a = -50, 50 do
  for b = -9, 9 do
    if b ~= 0 then
      local q, r = a // b, a % b
      if q * b + r ~= a then bad = bad + 1 end
      if r ~= 0 and (r < 0) ~= (b < 0) then bad = bad + 1 end
    end
  end
end
print("invariant violations", bad)

-- the result subtype of each operator on integers
p("3+4", 3 + 4)
p("3-4", 3 - 4)
p("3*4", 3 * 4)
p("3/4", 3 / 4)
p("4/2", 4 / 2)
p("3//4", 3 // 4)
p("3%4", 3 % 4)
p("3^2", 3 ^ 2)
p("2^63", 2 ^ 63)
p("2^-1", 2 ^ -1)
p("(-8)^(1/3) is nan", (-8) ^ (1 / 3) ~= (-8) ^ (1 / 3))
p("-2^2", -2 ^ 2)
p("2^3^2", 2 ^ 3 ^ 2)
p("unary minus int", -(3))
p("double neg", - -3)
p("7 // 0.0", 7 // 0.0)
p("-7 // 0.0", -7 // 0.0)
p("0 // 0.0 nan", (0 // 0.0) ~= (0 // 0.0))
p("7 % math.huge", 7 % math.huge)
p("-7 % math.huge", -7 % math.huge)
p("7 % -math.huge", 7 % -math.huge)
p("-7 % -math.huge", -7 % -math.huge)

-- integer literals that do not fit become floats
p("9223372036854775807", 9223372036854775807)
p("9223372036854775808", 9223372036854775808)
p("-9223372036854775808", -9223372036854775808)
p("1e2", 1e2)
p("100", 100)
p("0x7fffffffffffffff", 0x7fffffffffffffff)

-- a loop of multiplications that wraps around
local x = 1
for i = 1, 70 do x = x * 3 end
p("3^70 wrapped", x)
local h = 0
for i = 1, 1000 do h = h * 31 + i end
p("hash wrap", h)
-- sums
local s = 0
for i = 1, 100000 do s = s + i * i end
p("sum squares", s)
