-- Bitwise operators: & | ~ << >> and unary ~, on integers and on floats
-- with exact integer values; shifts of 64 or more and negative shifts; the
-- errors for fractional floats and non-numbers.
local function h(v) return string.format("0x%016x", v) end
local a, b = 0x0ff0f0f0ff00ff00, 0x00ff00ff0f0f0f0f
print(h(a & b), h(a | b), h(a ~ b), h(~a), h(~0), h(~-1))
for _, s in ipairs({0, 1, 4, 31, 32, 63, 64, 65, 100, -1, -4, -63, -64, -65}) do
  print(s, h(1 << s), h(-1 << s), h(-1 >> s), h(0x8000000000000000 >> s))
end
print(1 << 63, (1 << 63) - 1, 1 << 64, -1 >> 1, -1 >> 63)
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 2 << 2, 256 >> 4)
print(3.0 & 1, 2^53 | 0, -2.0 ~ 0, 1.0 << 2, math.type(3.0 & 1))
print(0xff & -1, -1 & 0x7fffffffffffffff, math.mininteger | 1)
-- precedence: shifts bind tighter than &, & tighter than ~, ~ tighter than |
print(1 | 2 ~ 3 & 4 << 1, (1 | 2) ~ 3, 1 + 1 << 2, 1 << 2 + 1, 2 .. (3 << 1))
print(~0 >> 60, ~(0 >> 60), - ~1, ~ -1)
local function e(f)
  local ok, err = pcall(f)
  print(ok, err)
end
local x, half, y = 1.5, 0.5, 2^64
e(function() return x | 0 end)
e(function() return 1 & half end)
e(function() return y | 0 end)
e(function() return ~x end)
e(function() return 1 << x end)
e(function() return math.huge | 0 end)
e(function() return (0/0) & 1 end)
e(function() local t = {} return t | 1 end)
e(function() local s = "1.5" return s | 1 end)
e(function() return nil & 1 end)
e(function() local t = {f = 2.5} return t.f >> 1 end)
e(function() return 2^63 & 1 end)
e(function() return -2^63 & 1 end)
-- popcount and bit reversal with loops
local function popcount(v)
  local c = 0
  while v ~= 0 do v = v & (v - 1); c = c + 1 end
  return c
end
print(popcount(0), popcount(-1), popcount(0x5555555555555555), popcount(255))
local function rev(v)
  local r = 0
  for i = 0, 63 do r = (r << 1) | ((v >> i) & 1) end
  return r
end
print(h(rev(1)), h(rev(0x0123456789abcdef)))
-- xorshift with fixed seed
local s = 88172645463325252
local acc = 0
for i = 1, 1000 do
  s = s ~ (s << 13); s = s ~ (s >> 7); s = s ~ (s << 17)
  acc = acc ~ s
end
print(h(s), h(acc))
