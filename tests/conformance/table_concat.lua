-- table.concat: separators, ranges i..j (empty, reversed, negative),
-- numbers (integer and float formatting), and the "invalid value (at index
-- N) in table for 'concat'" errors.
local t = {1, 2, 3, "a", "b", 1.5, 2.0, -0.0}
print(table.concat(t))
print(table.concat(t, ", "))
print(table.concat(t, "", 2, 4))
print(table.concat(t, "-", 4, 4))
print("[" .. table.concat(t, "-", 5, 4) .. "]")
print("[" .. table.concat({}, "x") .. "]")
print(table.concat({"a", "b"}, 3))
print(table.concat({"a", "b"}, 1.5))
print(table.concat({[-1] = "m", [0] = "z", [1] = "o"}, ",", -1, 1))
print(table.concat({"x", "y", "z"}, "\0"):byte(1, -1))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2, 3}, ",", 1, 5))
print(pcall(table.concat, {true}))
print(pcall(table.concat, {1, 2}, {}))
print(pcall(table.concat, nil))
print(pcall(table.concat, {}, "", 1, 1))
print(pcall(table.concat, {"a"}, "", 1, math.maxinteger))
print(table.concat({"a"}, "", math.maxinteger, math.maxinteger - 1))
-- __index is respected
local proxy = setmetatable({}, {__index = function(_, i) return "v" .. i end})
print(table.concat(proxy, " ", 1, 4))
-- large concat
local big = {}
for i = 1, 1000 do big[i] = i % 10 end
local s = table.concat(big)
print(#s, s:sub(1, 25), s:sub(-5))
