-- string.format float conversions %e %E %f %g %G %a %A with flags, widths,
-- precisions, integers converted to float, inf/nan, and large precision.
local F = string.format
local nums = {0, 0.0, -0.0, 1, 1.5, -1.5, 0.1, 123.456, 1e-10, 1e10, 1e15, 1e16, 1e100, 2^63, 1/3, 100, -123456789, 5e-324}
local specs = {"%e", "%E", "%.2e", "%12.3e", "%f", "%.0f", "%#.0f", "%.3f", "%10.2f", "%-10.2f|", "%+f", "% f", "%010.2f", "%g", "%G", "%.3g", "%#g", "%10g", "%-10g|", "%.10g", "%a", "%A", "%.3a"}
for _, n in ipairs(nums) do
  local row = {}
  for _, s in ipairs(specs) do
    row[#row + 1] = "[" .. F(s, n) .. "]"
  end
  print(tostring(n), table.concat(row, " "))
end
for _, v in ipairs({math.huge, -math.huge}) do
  print(F("%f %e %g %a %5.1f %-6g| %+g", v, v, v, v, v, v, v))
end
local nan = 0/0
print(F("%f", nan):gsub("-", "") , F("%g", -nan):gsub("-", ""))
print(F("%.14g", 0.1), F("%.17g", 0.1), F("%.99f", 1/3):len())
print(F("%5.1f|%-8.3e|%08.3f", 3.14159, 2.71828, -1.5))
print(F("%g %g %g %g", 1e-5, 1e-4, 123456, 1234567))
print(F("%.0e %.1e", 12345, 0.00012345))
print(F("%f", "1.5"), F("%g", "1e3"), F("%e", 10))
print(pcall(F, "%f", "x"))
print(pcall(F, "%f", {}))
print(pcall(F, "%f"))
print(pcall(F, "%.100f", 1))
print(pcall(F, "%100f", 1))
print(pcall(F, "%099f", 1))
