-- Float/integer conversion rules: where an integer is required (bitwise
-- operands, string.rep counts, string.sub/byte indices, table.concat and
-- unpack ranges, string.format %d/%x/%c, utf8.char, math.tointeger) a
-- float converts only when it has an exact integer value; string operands
-- follow the same rule; float results of every operator; and the integer
-- to float direction (exact or rounded).
local function try(label, f, ...)
  local r = table.pack(pcall(f, ...))
  for i = 2, r.n do r[i] = tostring(r[i]) .. (math.type(r[i]) and ("(" .. math.type(r[i]):sub(1, 1) .. ")") or "") end
  print(label, table.unpack(r, 1, r.n))
end
-- bitwise operands
try("3.0 | 0", function() return 3.0 | 0 end)
try("-0.0 | 0", function() return -0.0 | 0 end)
try("2^62 | 0", function() return 2^62 | 0 end)
try("2^63 | 0", function() return 2^63 | 0 end)
try("-2^63 | 0", function() return -2^63 | 0 end)
try("3.5 | 0", function() return 3.5 | 0 end)
try("1e100 | 0", function() return 1e100 | 0 end)
try("inf | 0", function() return math.huge | 0 end)
try("'8' >> 1", function() local s = "8" return s >> 1 end)
-- library integer parameters
try("rep 2.0", string.rep, "ab", 2.0)
try("rep 2.5", string.rep, "ab", 2.5)
try("rep '3'", string.rep, "ab", "3")
try("rep '3.0'", string.rep, "ab", "3.0")
try("sub 2.0 3.0", string.sub, "hello", 2.0, 3.0)
try("sub 1.5", string.sub, "hello", 1.5)
try("byte -1.0", string.byte, "hello", -1.0)
try("char 104.0", string.char, 104.0, 105)
try("format %d 3.0", string.format, "%d", 3.0)
try("format %x 255.0", string.format, "%x", 255.0)
try("format %d '7'", string.format, "%d", "7")
try("format %d 2^63", string.format, "%d", 2^63)
try("format %c 65.0", string.format, "%c", 65.0)
try("concat 1.0 2.0", table.concat, {"a", "b", "c"}, "", 1.0, 2.0)
try("unpack 1 2.0", table.unpack, {"x", "y"}, 1, 2.0)
try("insert pos 1.0", function() local t = {1} table.insert(t, 1.0, 0) return t[1], #t end)
try("utf8.char 65.0", utf8.char, 65.0)
try("tointeger 2^53", math.tointeger, 2^53)
try("tointeger 2^53+1.5", math.tointeger, 2^53 + 1.5)
try("select 2.0", select, 2.0, "a", "b")
try("tonumber base 16.0", tonumber, "ff", 16.0)
-- results of operators: which are floats
try("int ops", function() return 7 + 2, 7 - 2, 7 * 2, 7 // 2, 7 % 2 end)
try("/ and ^", function() return 7 / 7, 2 ^ 2 end)
try("float ops", function() return 7.0 + 2, 7 - 2.0, 7.0 * 2, 7.0 // 2, 7 % 2.0 end)
try("unary", function() return -(7), -(7.0), -math.mininteger end)
-- integer to float: exact below 2^53, rounded above
try("2^53 + 1 int->float", function() local i = (1 << 53) + 1 return i + 0.0, i + 0.0 == 2^53 end)
try("maxinteger + 0.0", function() return math.maxinteger + 0.0, math.maxinteger + 0.0 == 2^63 end)
try("maxinteger // 1.0", function() return math.maxinteger // 1.0 end)
-- float to integer via floor/ceil and string conversions
try("floor 2.0^62", math.floor, 2.0^62)
try("floor -2^63", math.floor, -2^63)
try("floor 2^63", math.floor, 2^63)
try("'0x10' + 0", function() return "0x10" + 0 end)
try("'1e1' + 0", function() return "1e1" + 0 end)
try("'10' + 0.0", function() return "10" + 0.0 end)
try("'9007199254740993' + 0", function() return "9007199254740993" + 0 end)
-- numeric for loops pick integer or float by the start and step only
try("for types", function()
  local t = {}
  for i = 1, 2.5 do t[#t + 1] = math.type(i) end
  for i = 1.0, 2 do t[#t + 1] = math.type(i) end
  for i = 1, 2, 1.0 do t[#t + 1] = math.type(i) end
  return table.concat(t, " ")
end)
-- table keys: floats with exact integer values become integer keys
try("keys", function()
  local t = {}
  t[3.0] = "a"; t[2^53] = "b"; t[-0.0] = "c"
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = math.type(k) end
  table.sort(ks)
  return table.concat(ks, " "), t[3], t[0]
end)
