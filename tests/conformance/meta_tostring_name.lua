-- __tostring (used by tostring and print, must return a string), __name
-- (used in tostring and error messages for tables with it), and the
-- error when __tostring returns a non-string.
local T = setmetatable({}, {__tostring = function(self) return "I am T" end})
print(T, tostring(T))
print(string.format("%s!", T))
print(pcall(tostring, setmetatable({}, {__tostring = function() return 1 end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() return nil end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() error("in tostring") end})))
print(pcall(print, setmetatable({}, {__tostring = function() return true end})))
-- __name changes the prefix of the default representation
local named = setmetatable({}, {__name = "Widget"})
print((tostring(named):gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR")))
local badname = setmetatable({}, {__name = 42})
print((tostring(badname):gsub(": .*", ": ADDR")))
-- __tostring wins over __name
print(tostring(setmetatable({}, {__name = "X", __tostring = function() return "tostring wins" end})))
-- __name in argument errors
print(pcall(string.rep, named))
print(pcall(math.floor, named))
-- __tostring receives the object
local P = {}
P.__index = P
P.__tostring = function(p) return "P(" .. p.x .. ")" end
local list = {}
for i = 1, 3 do list[i] = tostring(setmetatable({x = i}, P)) end
print(table.concat(list, ", "))
-- print calls __tostring for every argument
print(setmetatable({x = 9}, P), 1, nil, setmetatable({x = 10}, P))
-- tostring of basic values
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(-1.5), tostring("s"))
print(pcall(tostring))
