-- tonumber: decimal, hex, hex floats, exponents, whitespace, bases 2..36,
-- invalid inputs, and argument errors.
local function t(...)
  local ok, v = pcall(tonumber, ...)
  if not ok then return "error: " .. v end
  return tostring(v) .. " (" .. tostring(math.type(v)) .. ")"
end
local strs = {
  "0", "10", "-10", "+10", "  42  ", "\t\n42\r\v\f", "0x10", "0X1F", "-0x10",
  "0xffffffffffffffff", "0x1p4", "0x1P-2", "0x.1", "0xA.8p1", "0x1.8", "1e3",
  "1E3", "1e-3", ".5", "5.", "-.5", "1.5e+2", "0x", "0x1g", "1e", "e1", "",
  " ", "1 1", "1a", "abc", "inf", "nan", "-inf", "1e400", "-1e400",
  "9223372036854775807", "9223372036854775808", "-9223372036854775808",
  "-9223372036854775809", "0x8000000000000000", "00012", "1_000", "١",
  "0x7FFFFFFFFFFFFFFF", "0e0", "-0", "-0.0", "1.0e", "+-1", "--1", "0x-1",
}
for _, s in ipairs(strs) do
  print(string.format("%-24s %s", "[" .. s .. "]", t(s)))
end
print(t(42), t(4.5), t(nil), t(true), t({}), t())
-- with a base
local based = {
  {"10", 2}, {"11", 2}, {"102", 2}, {"ff", 16}, {"FF", 16}, {"zz", 36},
  {"ZZ", 36}, {"777", 8}, {"8", 8}, {" 11 ", 2}, {"-11", 2}, {"-ff", 16},
  {"1.5", 10}, {"10", 10}, {"", 10}, {" ", 10}, {"7fffffffffffffff", 16},
  {"ffffffffffffffff", 16}, {"10000000000000000", 16}, {"0x10", 16},
  {"1e2", 16}, {"1e2", 10}, {"z", 35}, {"y", 35}, {"100", 3}, {"-", 10},
}
for _, c in ipairs(based) do
  print(string.format("%-28s %s", "[" .. c[1] .. "] base " .. c[2], t(c[1], c[2])))
end
print(t("10", 1))
print(t("10", 37))
print(t(10, 16))
print(t("10", 2.5))
print(t("10", "8"))
print(t("10", nil))
print(select("#", tonumber("x")), select("#", tonumber("1", 10)))
