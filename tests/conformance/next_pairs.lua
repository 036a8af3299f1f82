-- next and pairs: traversal of arrays and hashes (compared as sorted
-- lists), next with nil and with the last key, invalid keys, assigning
-- to existing fields during traversal, and the errors.
local t = {10, 20, 30, x = "a", y = "b"}
local seen = {}
local k, v = next(t)
while k ~= nil do
  seen[#seen + 1] = tostring(k) .. "=" .. tostring(v)
  k, v = next(t, k)
end
table.sort(seen)
print(table.concat(seen, " "))
print(next({}), next({}, nil))
print(next({"only"}))
print(next({"only"}, 1))
print(pcall(next, {}, "missing"))
print(pcall(next, {1, 2}, 3))
print(pcall(next))
print(pcall(next, 1))
print(pcall(pairs))
print(pcall(ipairs))
-- pairs returns next, the table, nil
local f, s, init = pairs(t)
print(f == next, s == t, init)
-- ipairs returns an iterator, the table, 0
local f2, s2, i2 = ipairs(t)
print(type(f2), s2 == t, i2)
print(f2(t, 0))
print(f2(t, 3))
-- count all entries in a big mixed table
local big = {}
for i = 1, 1000 do big[i] = i end
for i = 1, 1000 do big["k" .. i] = i end
local count, sum = 0, 0
for _, val in pairs(big) do count = count + 1 sum = sum + val end
print(count, sum)
-- removing entries while traversing
for key in pairs(big) do if type(key) == "string" then big[key] = nil end end
count = 0
for _ in pairs(big) do count = count + 1 end
print(count)
-- float keys that are integral are the same key
local fk = {}
fk[1.0] = "a"; fk[2] = "b"
local ks = {}
for key in pairs(fk) do ks[#ks + 1] = math.type(key) end
print(table.concat(ks, " "))
-- false is a valid key and value
local bt = {[false] = "no", [true] = "yes"}
print(bt[false], bt[true])
local n = 0
for _ in pairs(bt) do n = n + 1 end
print(n)
