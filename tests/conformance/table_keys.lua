-- Table keys: integer and float keys normalised (2.0 and 2 are one key,
-- 2^53 too), -0.0 and 0 the same key, NaN and nil keys rejected on
-- assignment but readable, strings distinct from numbers, booleans and
-- tables and functions as keys, and # on sequences built different ways.
local t = {}
t[1] = "a"; t[1.0] = "b"; t[2^53] = "big"; t[-0.0] = "zero"
print(t[1], t[2^53 | 0], t[0], t[-0.0], t[0.0])
local keys = {}
for k in pairs(t) do keys[#keys + 1] = math.type(k) .. ":" .. tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
t = {}
t["1"] = "string one"; t[1] = "integer one"
print(t["1"], t[1], t[1.0], t["1.0"])
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(t[nil], t[0/0])
local fk, tk = function() end, {}
t = {[true] = "T", [false] = "F", [fk] = "function", [tk] = "table"}
print(t[true], t[false], t[fk], t[tk], t[{}])
-- float keys that are not integral stay floats
t = {[1.5] = "x", [2^63] = "huge", [-2^63] = "min"}
print(t[1.5], t[2^63], t[math.mininteger], math.type(next({[2^63] = 1})), math.type(next({[-2^63] = 1})))
-- length of sequences built in different ways
local a = {}
for i = 1, 10 do a[i] = i end
print(#a)
for i = 10, 6, -1 do a[i] = nil end
print(#a)
local b = {n = 0}
for i = 1, 100 do b[#b + 1] = i end
print(#b, b.n)
local c = {}
for i = 100, 1, -1 do c[i] = i end
print(#c)
local d = {table.unpack({1, 2, 3})}
print(#d)
local e = {}
e[1] = 1; e[2] = 2; e[3] = 3; e[3] = nil; e[2] = nil
print(#e)
-- tables with many keys
local big = {}
for i = 1, 10000 do big["k" .. i] = i; big[i] = i end
local cnt = 0
for _ in pairs(big) do cnt = cnt + 1 end
print(cnt, #big, big.k5000, big[5000])
for i = 1, 10000 do big["k" .. i] = nil end
cnt = 0
for _ in pairs(big) do cnt = cnt + 1 end
print(cnt, #big)
-- integer keys beyond the array part and negative keys
local s = {[-1] = "neg", [0] = "zero", [1] = "one", [1000000] = "far"}
print(s[-1], s[0], s[1], s[1000000], #s)
