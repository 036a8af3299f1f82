-- string.format integer conversions %d %i %u %c %x %X %o with flags
-- (- + space # 0), widths and precisions, extreme values, floats with
-- integral values, and the errors for fractional floats and strings.
local F = string.format
local nums = {0, 1, -1, 42, -42, 255, 65535, math.maxinteger, math.mininteger, 3.0, -7.0, "12", "0x10"}
local specs = {"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-+8d|", "%x", "%X", "%#x", "%#X", "%08x", "%o", "%#o", "%.0d"}
for _, n in ipairs(nums) do
  local row = {}
  for _, s in ipairs(specs) do
    local ok, r = pcall(F, s, n)
    row[#row + 1] = ok and ("[" .. r .. "]") or "E"
  end
  print(tostring(n), table.concat(row, " "))
end
print(F("%c%c%c", 76, 117, 97), F("%c", 0):byte(), F("%5c|%-5c|", 65, 66))
print(pcall(F, "%u", 42))
print(F("%i|%d", 1, 2), F("%3d|%-3d|%03d", 7, 7, 7))
print(F("%x %X %o", -1, -1, -1))
print(F("%.20d", 1), F("%20.15d", -5))
print(F("%d%%", 50), F("%%d"), F("%5s%%", "x"))
local bad = {{"%d", 1.5}, {"%d", "1.5"}, {"%d", "x"}, {"%d", {}}, {"%x", 2^63},
  {"%c", "a"}, {"%d"}, {"%d", nil}, {"%d", 1e100}, {"%i", -0.5}, {"%o", true}}
for _, b in ipairs(bad) do
  print(b[1], pcall(F, b[1], b[2]))
end
