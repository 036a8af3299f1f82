-- table.insert and table.remove: appending, inserting at positions,
-- removing from the ends and the middle, the n+1 positions, and every
-- error message ("wrong number of arguments", "position out of bounds").
local function show(t) return "{" .. table.concat(t, ",") .. "}" .. #t end
local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "c")
table.insert(t, 2, "d")
table.insert(t, #t + 1, "e")
print(show(t))
print(table.remove(t), show(t))
print(table.remove(t, 1), show(t))
print(table.remove(t, 2), show(t))
print(table.remove(t, #t + 1), show(t))
print(table.remove(t), table.remove(t), table.remove(t), show(t))
print(table.remove({}), table.remove({}, 0), table.remove({}, 1))
local e = {n = 1}
print(table.remove(e, 0), table.remove(e, #e + 1))
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
local function try(...) print(pcall(...)) end
try(table.insert, {1, 2, 3}, 5, "x")
try(table.insert, {1, 2, 3}, 0, "x")
try(table.insert, {1, 2, 3}, -1, "x")
try(table.insert, {1, 2, 3}, 1, "x", "y")
try(table.insert, {1, 2, 3})
try(table.insert, nil, 1)
try(table.insert, {}, "1", "x")
try(table.insert, {}, 1.5, "x")
try(table.remove, {1, 2, 3}, 5)
try(table.remove, {1, 2, 3}, -1)
try(table.remove, {1, 2, 3}, 4)
try(table.remove, nil)
try(table.remove, {1, 2, 3}, "x")
-- called by name from Lua code: the name in the message is the field name
print(pcall(function() table.insert(nil, 1) end))
print(pcall(function() local t = table; t.insert(nil, 1) end))
print(pcall(function() local ins = table.insert; ins(nil, 1) end))
print(pcall(function() table.insert({}, 1, 2, 3) end))
-- insert into the middle shifts the rest
local s = {}
for i = 1, 10 do table.insert(s, 1, i) end
print(show(s))
for i = 1, 5 do table.remove(s, 2) end
print(show(s))
-- with __index/__newindex metamethods the functions go through them
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return rawget(log, k) end,
  __newindex = function(_, k, v) log[k] = v end,
  __len = function() return #log end,
})
table.insert(proxy, "p1")
table.insert(proxy, "p2")
table.insert(proxy, 1, "p0")
print(show(log), table.remove(proxy), show(log))
