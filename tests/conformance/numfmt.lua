-- Number formatting by tostring/print: "%.14g" for floats with ".0"
-- added to integral values, integers in full, inf/nan/-0.0 spellings.
local vals = {
  0, -0, 0.0, -0.0, 1, -1, 3.0, -3.0, 0.5, 1/3, -1/3, 100.0, 1e14, 1e15,
  1e16, 1e17, 123456789012345.0, 1234567890123456.0, 2^53, 2^63, -2^63,
  2^64, 1e100, -1e100, 1e-5, 1e-4, 0.1, 1e308, 1.7976931348623157e308,
  5e-324, 2.5e-310, math.huge, -math.huge, math.pi, -math.pi, 1e300 * 1e10,
  math.maxinteger, math.mininteger, math.maxinteger + 0.0,
  math.mininteger + 0.0, 12345678901234567, 0x7fffffff, 0xffffffff,
  255 / 5, 7 // 2, 7.0 // 2, 2^24, 1e-310, 123.456, -0.000001, 1e21, 1e22,
  3.14159265358979, 2.0^-1, 100 * 1.1, 1 - 0.9,
}
for i, v in ipairs(vals) do
  print(i, v, math.type(v), tostring(v), v .. "")
end
print(0/0 ~= 0/0, tostring(0/0) == tostring(0/0))
print(0/0)
print(-(0/0))
print(math.huge, -math.huge)
print(string.format("%s %s", 1.0, 2))
print(1e15, 1e16, 1e100, -0.0, 2^63, 3.0)
print(#tostring(1/3), #tostring(2^63))
-- integer-valued float results of arithmetic
print(10 / 2, 3 * 1.0, 2^2, 7 // 1.0, 1e2, -1e2, 0x10p0, 0x.8p1)
print(8 // 3 * 1.0, math.floor(3.7), math.ceil(3.2), math.floor(-3.5))
print(math.floor(1e100) == 1e100, math.type(math.floor(1e100)))
print(string.rep("=", 20))
-- table.concat and string.format %s use the same conversion
print(table.concat({1, 2.0, -0.0, 1e100, 2^63}, ","))
print(string.format("%s|%s|%s", 0.1, 1e15, 1e16))
