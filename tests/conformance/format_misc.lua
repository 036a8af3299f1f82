-- string.format %s (with __tostring, __name, precision, width, embedded
-- zeros), many arguments, %% and the errors: invalid conversion, missing
-- arguments, too long formats, bad argument numbers.
local F = string.format
print(F("%s %s %s %s %s", 1, 1.5, "x", true, nil))
print(F("[%10s][%-10s][%.2s][%5.1s]", "abc", "abc", "abc", "abc"))
print(F("%s", setmetatable({}, {__tostring = function() return "custom!" end})))
print(F("%10s|", setmetatable({}, {__tostring = function() return "T" end})))
print(pcall(F, "%s", setmetatable({}, {__tostring = function() return 42 end})))
local named = F("%s", setmetatable({}, {__name = "MyType"}))
print(named:match("^MyType: ") ~= nil)
print(F("%s", "a\0b") == "a\0b", #F("%s", "a\0b"))
print(pcall(F, "%10s", "a\0b"))
print(pcall(F, "%s"))
print(F("no conversions", 1, 2, 3))
print(F("%d %s %d %s", 1, "a", 2, "b"))
for _, spec in ipairs({"%y", "%", "%-", "%10", "%.", "%l", "%ld", "%lld", "%hd", "%n", "%b", "%k", "%$d", "%1$d", "%*d", "%.*f", "%-+ #0d"}) do
  print(spec, pcall(F, spec, 1))
end
print(pcall(F, "%123d", 1))
print(pcall(F, "%1234d", 1))
print(pcall(F, "%.123f", 1))
print(pcall(F, "%d %d", 1))
print(pcall(F))
print(pcall(F, 12))
print(F(12.5))
-- builds a table with aligned columns
local rows = {{"apple", 3, 0.5}, {"banana", 12, 0.25}, {"cherry", 100, 10}}
for _, r in ipairs(rows) do
  print(F("%-8s|%5d|%8.3f|%-6s|", r[1], r[2], r[3], r[2] > 10 and "many" or "few"))
end
