-- __concat (either operand, chains with numbers and strings, right
-- associativity), __len (on tables, result of any type), __unm.
local C = {}
local function tos(v) return type(v) == "table" and "<" .. v.name .. ">" or tostring(v) end
C.__concat = function(a, b) return tos(a) .. "+" .. tos(b) end
local a, b = setmetatable({name = "a"}, C), setmetatable({name = "b"}, C)
print(a .. b, a .. "s", "s" .. a, a .. 1, 1 .. a, a .. 1.5)
print("x" .. "y" .. a)
print(a .. "x" .. "y")
print("p" .. a .. "q")
print(1 .. 2 .. a .. 3)
-- a __concat that returns a table keeps going through the chain
local Acc = {}
Acc.__concat = function(x, y)
  local items = {}
  for _, v in ipairs({x, y}) do
    if type(v) == "table" then for _, i in ipairs(v.items) do items[#items + 1] = i end
    else items[#items + 1] = tostring(v) end
  end
  return setmetatable({items = items}, Acc)
end
local acc = setmetatable({items = {}}, Acc)
local res = "a" .. "b" .. acc .. "c" .. 1
print(type(res), table.concat(res.items, ","))
print(pcall(function() return {} .. "x" end))
print(pcall(function() local t = {} return "x" .. t end))
print(pcall(function() return "x" .. nil end))
print(pcall(function() local n return 1 .. n end))
print(pcall(function() return true .. "" end))
-- __len
local L = setmetatable({1, 2, 3}, {__len = function(t) return 42 end})
print(#L, rawlen(L))
print(#setmetatable({}, {__len = function() return "len" end}))
print(#setmetatable({}, {__len = function() return 1.5 end}))
print(select("#", #setmetatable({}, {__len = function() return 1, 2 end})))
print(#setmetatable({}, {__len = function() return nil end}))
print(pcall(function() return #5 end))
print(pcall(function() local n = nil return #n end))
print(#"string with __len ignored")
-- __len used by ipairs? no: ipairs stops at the first nil via __index
local arr = setmetatable({}, {__len = function() return 3 end, __index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(arr) do io.write(i, "=", v, " ") end
print(#arr)
-- __unm
local U = setmetatable({v = 5}, {__unm = function(t) return -t.v * 2 end})
print(-U, - -U == nil)
print(pcall(function() return -setmetatable({}, {}) end))
