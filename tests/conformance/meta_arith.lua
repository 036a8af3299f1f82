-- Arithmetic metamethods __add __sub __mul __div __mod __pow __unm
-- __idiv: both operand orders (the left operand's metamethod is tried
-- first, then the right's), mixing with numbers and strings, results of
-- any type, and the error when neither operand has one.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
local function tos(v) return type(v) == "table" and ("(" .. tostring(v.x) .. "," .. tostring(v.y) .. ")") or tostring(v) end
V.__add = function(a, b)
  if type(a) == "number" then return vec(a + b.x, a + b.y) end
  if type(b) == "number" then return vec(a.x + b, a.y + b) end
  return vec(a.x + b.x, a.y + b.y)
end
V.__sub = function(a, b) return "sub(" .. tos(a) .. "," .. tos(b) .. ")" end
V.__mul = function(a, b) return "mul(" .. tos(a) .. "," .. tos(b) .. ")" end
V.__div = function(a, b) return "div(" .. tos(a) .. "," .. tos(b) .. ")" end
V.__mod = function(a, b) return "mod(" .. tos(a) .. "," .. tos(b) .. ")" end
V.__pow = function(a, b) return "pow(" .. tos(a) .. "," .. tos(b) .. ")" end
V.__idiv = function(a, b) return "idiv(" .. tos(a) .. "," .. tos(b) .. ")" end
V.__unm = function(a, b) return "unm(" .. tos(a) .. "," .. tos(b) .. ")" end
local a, b = vec(1, 2), vec(10, 20)
print(tos(a + b), tos(a + 1), tos(1 + a), tos(a + 0.5))
print(a - b, a - 1, 1 - a, "s" - a)
print(a * b, a * 2, 2 * a)
print(a / b, a / 2, 2 / a)
print(a % b, a % 2, 2 % a)
print(a ^ b, a ^ 2, 2 ^ a)
print(a // b, a // 2, 2 // a)
print(-a)
-- only the right operand has the metamethod
local R = setmetatable({}, {__add = function(x, y) return "R-add " .. type(x) .. " " .. type(y) end})
print(1 + R, R + 1, {} + R, R + {})
-- different metamethods on each side: left wins
local L1 = setmetatable({}, {__add = function() return "left" end})
local R1 = setmetatable({}, {__add = function() return "right" end})
print(L1 + R1, R1 + L1)
-- metamethod result can be anything, including nil and false
local odd = setmetatable({}, {__add = function() return nil end, __sub = function() return false end,
  __mul = function() return 1, 2 end})
print(odd + 1, odd - 1, odd * 1)
-- strings with arithmetic metamethods: string coercion happens first
local S = setmetatable({}, {__add = function(x, y) return "S+" .. tostring(type(x)) .. tostring(type(y)) end})
print("10" + S, S + "10")
-- errors when no operand has the metamethod
print(pcall(function() return {} + 1 end))
print(pcall(function() local t = {} return 1 - t end))
print(pcall(function() local t = {} return t * t end))
print(pcall(function() return -{} end))
print(pcall(function() local t = {} return t.x / 2 end))
print(pcall(function() return setmetatable({}, {}) % 2 end))
-- metamethods are looked up in the metatable raw
local proxymt = setmetatable({}, {__index = function() return function() return "via index" end end})
print(pcall(function() return setmetatable({}, proxymt) + 1 end))
-- accumulate with metamethods in a loop
local Acc = {}
Acc.__add = function(x, n) return setmetatable({v = x.v + n}, Acc) end
local acc = setmetatable({v = 0}, Acc)
for i = 1, 100 do acc = acc + i end
print(acc.v)
