-- The string metatable: __index is the string table, its arithmetic
-- metamethods convert numeric strings (and fall back to the other
-- operand's metamethod), they can be called directly, and strings still
-- do not compare with numbers or coerce in bitwise operations.
local mt = getmetatable("")
print(type(mt), mt.__index == string, getmetatable("abc") == getmetatable("x"))
local names = {}
for k in pairs(mt) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
local function try(label, f)
  local ok, v = pcall(f)
  if ok then print(label, math.type(v) or type(v), v)
  else print(label, "error:", v) end
end
-- direct calls
try("__add direct", function() return mt.__add("1", "2") end)
try("__unm direct", function() return mt.__unm("5", "5") end)
try("__unm 1 arg", function() return mt.__unm("5") end)
try("__div direct", function() return mt.__div(1, 2) end)
try("__pow direct", function() return mt.__pow("2", 10) end)
try("__idiv floats", function() return mt.__idiv("7.5", "2") end)
try("__mod neg", function() return mt.__mod("-7", "3") end)
try("__add non-numeric", function() return mt.__add("a", "b") end)
try("__add table", function() return mt.__add({}, {}) end)
-- the other operand's metamethod
local V = setmetatable({}, {
  __add = function(a, b) return "V.__add(" .. type(a) .. "," .. type(b) .. ")" end,
  __unm = function() return "V.__unm" end,
  __concat = function(a, b) return "V.__concat" end,
})
try("str + V", function() return "abc" + V end)
try("V + str", function() return V + "abc" end)
try("num str + V", function() return "10" + V end)
try("str - V", function() return "abc" - V end)
try("str .. V", function() return "abc" .. V end)
local W = setmetatable({}, {__sub = function() return "W.__sub" end})
try("'1' - W", function() return "1" - W end)
try("'x' * W", function() return "x" * W end)
-- results keep Lua's integer/float rules
try("'3' + '4'", function() return "3" + "4" end)
try("'3' + '4.0'", function() return "3" + "4.0" end)
try("'3' / '4'", function() return "3" / "4" end)
try("'9' // 2", function() return "9" // 2 end)
try("'9.0' // 2", function() return "9.0" // 2 end)
try("'2' ^ 2", function() return "2" ^ 2 end)
try("'0x10' % 3", function() return "0x10" % 3 end)
try("'1e2' - 1", function() return "1e2" - 1 end)
try("' \\t5\\n' * 2", function() return " \t5\n" * 2 end)
try("'5\\0' + 1", function() return "5\0" + 1 end)
try("'' + 1", function() return "" + 1 end)
try("'-' + 1", function() return "-" + 1 end)
try("'0x' + 1", function() return "0x" + 1 end)
try("'1e' + 1", function() return "1e" + 1 end)
try("'.5' + 0", function() return ".5" + 0 end)
try("'5.' + 0", function() return "5." + 0 end)
try("'0x.8' + 0", function() return "0x.8" + 0 end)
try("'0x1p4' + 0", function() return "0x1p4" + 0 end)
try("'9223372036854775807' + 1", function() return "9223372036854775807" + 1 end)
try("'9223372036854775808' + 0", function() return "9223372036854775808" + 0 end)
try("'-9223372036854775808' + 0", function() return "-9223372036854775808" + 0 end)
try("-'-9223372036854775808'", function() return -"-9223372036854775808" end)
try("true + '1'", function() return true + "1" end)
try("'1' + true", function() return "1" + true end)
try("'1' + nil", function() return "1" + nil end)
-- no coercion for comparison or bitwise operators
try("'10' < 5", function() return "10" < 5 end)
try("'10' == 10", function() return "10" == 10 end)
try("'3' & 1", function() return "3" & 1 end)
-- replacing the metatable's entry changes the behaviour
local saved = mt.__add
mt.__add = function(a, b) return "custom add" end
try("custom", function() return "1" + 1 end)
mt.__add = saved
try("restored", function() return "1" + 1 end)
-- methods on string values through __index
print(("%d items"):format(3), ("abc"):len(), ("x"):rep(3, ","), #("abc"):upper())
