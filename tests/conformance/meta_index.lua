-- __index: as a table, as a function, chains of tables several levels
-- deep, rawget bypassing it, __index on missing vs present keys, and
-- __index reached through strings' metatable.
local base = {greet = function(self) return "hello from " .. self.name end, kind = "base"}
local mid = setmetatable({kind = "mid", extra = 1}, {__index = base})
local obj = setmetatable({name = "obj"}, {__index = mid})
print(obj.name, obj.kind, obj.extra, obj:greet(), obj.missing)
print(rawget(obj, "kind"), rawget(mid, "kind"), rawget(obj, "name"))
-- function __index receives the table and the key
local calls = {}
local f = setmetatable({present = "here"}, {__index = function(t, k)
  calls[#calls + 1] = tostring(k)
  if k == "double" then return 2 * rawget(t, "n") end
  return nil
end})
f.n = 21
print(f.present, f.double, f.absent, f[1], f[true])
print(table.concat(calls, ","))
-- defaults
local defaults = setmetatable({}, {__index = function() return 0 end})
defaults.x = defaults.x + 5
defaults.y = defaults.y - 1
print(defaults.x, defaults.y, defaults.z)
-- a chain of 50 tables
local t = {deep = "bottom"}
for i = 1, 50 do t = setmetatable({["l" .. i] = i}, {__index = t}) end
print(t.deep, t.l1, t.l25, t.l50, t.nothing)
-- __index function returning multiple values: only the first is used
local multi = setmetatable({}, {__index = function() return 1, 2, 3 end})
print(multi.a, select("#", multi.a))
-- __index on integer keys of an array with holes
local arr = setmetatable({1, 2, nil, 4}, {__index = function(_, k) return "default" .. k end})
print(arr[1], arr[3], arr[5])
-- the metatable's __index is looked up raw, changes apply immediately
local mt = {}
local o = setmetatable({}, mt)
print(o.v)
mt.__index = {v = "now"}
print(o.v)
mt.__index = nil
print(o.v)
-- __index with non-table, non-function values: indexing that value
local str_idx = setmetatable({}, {__index = "abc"})
print(pcall(function() return type(str_idx.len), str_idx.len == string.len end))
print(pcall(function() return setmetatable({}, {__index = 5}).x end))
-- string methods via the string metatable
local s = "text"
print(s.upper(s), ("x").rep("ab", 2), s:len(), #getmetatable("").__index == 0)
print(getmetatable("").__index == string)
-- methods and self
local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({balance = b}, Account) end
function Account:deposit(v) self.balance = self.balance + v return self end
function Account:get() return self.balance end
print(Account.new(10):deposit(5):deposit(2.5):get())
-- __index loops are detected
local loop1, loop2 = {}, {}
setmetatable(loop1, {__index = loop2})
setmetatable(loop2, {__index = loop1})
print(pcall(function() return loop1.x end))
