-- table.move: forward and backward overlapping moves, moves to another
-- table, empty ranges, negative indices, metamethods, and its errors.
local function show(t, n) local o = {} for i = 1, n do o[i] = tostring(t[i]) end return table.concat(o, ",") end
local t = {1, 2, 3, 4, 5, 6, 7, 8}
table.move(t, 1, 3, 4)
print(show(t, 8))
t = {1, 2, 3, 4, 5, 6, 7, 8}
table.move(t, 4, 8, 1)
print(show(t, 8))
t = {1, 2, 3, 4, 5}
table.move(t, 1, 5, 3)
print(show(t, 7))
local dst = {"a", "b", "c"}
local r = table.move({1, 2, 3}, 1, 3, 2, dst)
print(r == dst, show(dst, 4))
r = table.move({1, 2, 3}, 1, 0, 1)
print(show(r, 3))
t = {[-2] = "x", [-1] = "y", [0] = "z"}
table.move(t, -2, 0, 1)
print(show(t, 3))
local log = {}
local src = setmetatable({}, {__index = function(_, k) log[#log + 1] = "get" .. k return k * 10 end})
local d = setmetatable({}, {__newindex = function(tt, k, v) log[#log + 1] = "set" .. k rawset(tt, k, v) end})
table.move(src, 1, 3, 1, d)
print(table.concat(log, " "), show(d, 3))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {}, -1, math.maxinteger, 2))
print(pcall(table.move, {}, 1, 2, math.maxinteger))
print(pcall(table.move, {1}, 1, 1))
print(pcall(table.move, nil, 1, 1, 1))
print(pcall(table.move, {1}, 1, 1, 1, 5))
print(pcall(table.move, {1}, "a", 1, 1))
print(select("#", table.move({}, 1, 0, 1)))
