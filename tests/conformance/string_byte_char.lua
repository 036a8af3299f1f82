-- string.byte and string.char: ranges, negative indices, many results,
-- round trips over all 256 bytes, and the errors.
local s = "ABCDEF"
print(s:byte(), s:byte(1), s:byte(6), s:byte(7), s:byte(0), s:byte(-1))
print(s:byte(1, 3))
print(s:byte(-3, -1))
print(s:byte(4, 2))
print(s:byte(-100, 2))
print(s:byte(5, 100))
print(select("#", s:byte(7)), select("#", s:byte(3, 2)), select("#", ("")
  :byte()))
print(string.char(), string.char(72, 105), string.char(0):len())
print(string.char(228, 184, 173) == "\228\184\173")
local all = {}
for i = 0, 255 do all[#all + 1] = i end
local str = string.char(table.unpack(all))
print(#str)
local ok = true
for i = 0, 255 do if str:byte(i + 1) ~= i then ok = false end end
print("round trip", ok)
print(select("#", str:byte(1, -1)))
local sum = 0
for _, b in ipairs({str:byte(1, -1)}) do sum = sum + b end
print("sum", sum)
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, 65, "x"))
print(pcall(string.char, 65.5))
print(string.char("65", 66.0))
print(pcall(string.byte, s, 1.5))
print(pcall(string.byte))
print(string.byte(123, 1, 3))
