-- More string.format corners: which flags each conversion accepts, width
-- and precision at their two-digit limits, %p of values that are not
-- objects, %c of zero and of negative values, %a with precision, floats
-- with integral values under integer conversions, numeric strings under
-- number conversions, %s of numbers and of values with __tostring and
-- precision, a '%' at the end of the format, and %q of floats' corners.
local F = string.format
local function try(fmt, ...)
  local ok, r = pcall(F, fmt, ...)
  print(string.format("%-10s", (fmt:gsub("%z", "\\0"))), ok and ("[" .. r .. "]") or ("error: " .. r))
end
-- every flag against every conversion
for _, conv in ipairs({"d", "i", "u", "c", "x", "X", "o", "e", "E", "f", "g", "G", "a", "A", "s", "q", "p"}) do
  local row = {}
  for _, flag in ipairs({"-", "+", " ", "#", "0"}) do
    local arg = (conv == "s" or conv == "q") and "s" or (conv == "p" and nil or 65)
    local ok, r = pcall(F, "%" .. flag .. "5" .. conv, arg)
    row[#row + 1] = flag .. ":" .. (ok and ("[" .. r .. "]") or "E")
  end
  print(conv, table.concat(row, " "))
end
-- width and precision limits
try("%99d", 1)
try("%99.99d", 1)
try("%100d", 1)
try("%.99d", 1)
try("%.100d", 1)
try("%1.1.1d", 1)
try("%..1d", 1)
try("%5.c", 65)
try("%.1c", 65)
try("%.5p", nil)
try("%-20p", nil)
try("%20p", 1)
try("%p", true)
try("%p", 12.5)
-- %c of edge values
print(#F("%c", 0), F("%c", 65 + 256) == "A", F("%c", -191) == "A")
-- integer conversions of floats and numeric strings
try("%d", 3.0)
try("%d", -0.0)
try("%x", 255.0)
try("%d", "  12  ")
try("%d", "0x1F")
try("%d", "1e2")
try("%d", "12.0")
try("%d", "12.5")
try("%i", 2^53)
try("%d", 2^63)
try("%u", math.mininteger)
try("%o", math.mininteger)
-- float conversions of integers and strings
try("%.1f", 3)
try("%e", math.maxinteger)
try("%g", "0x10")
try("%f", " 1.5 ")
try("%a", 1)
try("%.0a", 1.5)
try("%.1a", 1/3)
try("%#a", 1)
try("%+A", 255.5)
try("%10.3a|", -0.5)
-- %s
try("%s", 1e15)
try("%s", 2^63)
try("%s", -0.0)
try("%s", math.mininteger)
try("%.3s", 123456)
try("%5.1s", true)
try("%-5s", nil)
try("%.2s", setmetatable({}, {__tostring = function() return "object" end}))
try("%s %s", "only one")
-- the format string itself
try("100%")
try("100%", 1)
try("%", 1)
try("%5", 1)
try("%-", 1)
try("%5%", 1)
try("%")
try("%%")
try("%%%")
try("%5%")
try("a%-")
try("%d\0%d", 1, 2)
print(#F("x\0y%s", "z"), F("%s", "") == "")
-- %q of floats that are integral or extreme
for _, v in ipairs({1.0, -1.0, 0.0, -0.0, 2^53, 2^63, -2^63, 1e308, 5e-324, 2^-1074, 123.25}) do
  local q = F("%q", v)
  print(q, load("return " .. q)() == v, math.type(load("return " .. q)()))
end
print(F("%q", 255), F("%q", -1), F("%q", "\r\0\127\128"), F("%q", "1\n2"))
