-- Number conversions that must be exact: "%.17g" round trips of floats
-- from a fixed generator, tostring/tonumber of integers across the whole
-- range, %a hex-float round trips, and string->number of decimal
-- fractions compared bit for bit via string.pack.
local seed = 987654321
local function nextrand()
  seed = (seed * 6364136223846793005 + 1442695040888963407)
  return seed
end
local bad17, badhex, badint = 0, 0, 0
for i = 1, 3000 do
  local bits = nextrand()
  local x = string.unpack("<d", string.pack("<i8", bits))
  if x == x and x ~= math.huge and x ~= -math.huge then
    if tonumber(string.format("%.17g", x)) ~= x then bad17 = bad17 + 1 end
    if tonumber(string.format("%a", x)) ~= x then badhex = badhex + 1 end
  end
  local n = nextrand()
  if tonumber(tostring(n)) ~= n or math.type(tonumber(tostring(n))) ~= "integer" then badint = badint + 1 end
end
print(bad17, badhex, badint)
local function bits(x) return string.format("%016x", string.unpack("<i8", string.pack("<d", x))) end
for _, s in ipairs({"0.1", "0.2", "0.3", "1e23", "8.98846567431158e307", "2.2250738585072014e-308",
    "4.9e-324", "123456789012345678901234567890", "0.000001", "1.7976931348623157e308",
    "2.2250738585072011e-308", "9007199254740993", "0x1.fffffffffffffp1023", "1e-400", "3.14159265358979323846"}) do
  print(s, bits(tonumber(s)), tostring(tonumber(s)))
end
-- decimal digits of powers of two
for _, e in ipairs({10, 52, 53, 62, 63, 64, 100, -1, -10, -1074}) do
  print(e, string.format("%.17g", 2.0 ^ e))
end
