-- Bitwise metamethods __band __bor __bxor __shl __shr __bnot: operand
-- order, mixing with numbers and with floats that have no integer
-- representation, and the errors without metamethods.
local B = {}
local function tos(v) return type(v) == "table" and "B" .. v.v or tostring(v) end
for _, ev in ipairs({"band", "bor", "bxor", "shl", "shr", "bnot"}) do
  B["__" .. ev] = function(a, b) return ev .. "(" .. tos(a) .. "," .. tos(b) .. ")" end
end
local x, y = setmetatable({v = 1}, B), setmetatable({v = 2}, B)
print(x & y, x | y, x ~ y, x << y, x >> y, ~x)
print(x & 1, 1 & x, x | 2.5, 2.5 | x, x ~ "s", "s" ~ x)
print(x << 1, 1 << x, x >> 1.5, 1.5 >> x)
-- floats with fractions call the metamethod of the other operand
local F = setmetatable({}, {__band = function(a, b) return "F-band " .. type(a) .. " " .. type(b) end})
print(1.5 & F, F & 1.5)
-- a float without an integer representation and no metamethod: error
print(pcall(function() return 1.5 & 1 end))
print(pcall(function() local t = {} return t & 1 end))
print(pcall(function() local t = {} return ~t end))
print(pcall(function() return 1 << {} end))
-- an integer-like class
local Int = {}
Int.__index = Int
local function int(v) return setmetatable({v = v}, Int) end
local function val(o) return type(o) == "table" and o.v or o end
Int.__band = function(a, b) return int(val(a) & val(b)) end
Int.__bor = function(a, b) return int(val(a) | val(b)) end
Int.__shl = function(a, b) return int(val(a) << val(b)) end
Int.__bnot = function(a) return int(~val(a)) end
local r = ((int(12) & 10) | 1) << int(2)
print(r.v, (~int(0)).v, (3 & int(6)).v)
