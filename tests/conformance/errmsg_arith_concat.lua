-- Runtime error messages for arithmetic, concatenation, comparison,
-- length and bitwise operations on wrong types, naming locals, globals,
-- fields, upvalues and constants, plus string-to-number failures.
local function e(f) local ok, err = pcall(f) print(err) end
local up = {}
e(function() local x; return x + 1 end)
e(function() local t = {} return t.x + 1 end)
e(function() return glob + 1 end)
e(function() return 1 - up end)
e(function() local t = {} return t * 2 end)
e(function() local a, b = 1, nil; return a / b end)
e(function() local s = "abc"; return s + 1 end)
e(function() local s = "abc"; return -s end)
e(function() return {} % 2 end)
e(function() local t = {} return 2 ^ t end)
e(function() local t = {} return t // 1 end)
e(function() local f = print; return f + 1 end)
e(function() local b = true; return -b end)
e(function() local t = {x = {}} return t.x.y * 2 end)
-- concatenation
e(function() local t = {} return "a" .. t end)
e(function() local t = {} return t .. "a" end)
e(function() return "a" .. glob end)
e(function() local x; return x .. "s" end)
e(function() return "a" .. up end)
e(function() local t = {f = false} return "a" .. t.f end)
e(function() return "a" .. print end)
e(function() local a, b = "x", {} return a .. "y" .. b .. "z" end)
-- comparison
e(function() return 1 < nil end)
e(function() local a = {} return a < 1 end)
e(function() return {} < {} end)
e(function() return "a" < 1 end)
e(function() return 1 <= "a" end)
e(function() return nil > nil end)
e(function() return print >= print end)
e(function() local t = {} return t.x < 1 end)
-- length
e(function() local n = 5; return #n end)
e(function() return #glob end)
e(function() local t = {} return #t.x end)
e(function() return #up.y end)
-- bitwise
e(function() local f = 1.5; return f | 1 end)
e(function() local t = {} return t & 1 end)
e(function() return glob ~ 1 end)
e(function() local s = "x" return s << 1 end)
e(function() local t = {n = 2.5} return ~t.n end)
-- integer division and modulo by zero
e(function() local z = 0 return 1 // z end)
e(function() local z = 0 return 1 % z end)
-- arithmetic on strings that are not numbers
e(function() return "10" + "x" end)
e(function() return "1e" * 2 end)
e(function() return 2 * "0x" end)
e(function() return "" - 1 end)
-- integer conversions
e(function() return math.tointeger(2^63) | 0 end)
e(function() local t = {} t[2^63] = 1 return string.rep("x", 2^63) end)
e(function() return ("x"):rep(1.5) end)
e(function() return string.char(2^53) end)
