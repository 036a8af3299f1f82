-- table.sort: default order for numbers and strings, custom comparators
-- (descending, by field, multi-key), already-sorted/reversed/equal-key
-- inputs, sorting with __lt metamethods, and large arrays. Only totally
-- ordered keys are compared, so the unstable algorithm cannot show.
local function show(t) local o = {} for i, v in ipairs(t) do o[i] = tostring(v) end return table.concat(o, " ") end
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t); print(show(t))
table.sort(t, function(a, b) return a > b end); print(show(t))
local s = {"banana", "apple", "Cherry", "date", "Apple", "", "a", "ab"}
table.sort(s); print(show(s))
table.sort(s, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end); print(show(s))
local m = {3, 1.5, -2, 2^40, -0.5, 10, 1e-3}
table.sort(m); print(show(m))
local people = {
  {name = "ann", age = 31}, {name = "bob", age = 25}, {name = "cid", age = 31},
  {name = "dan", age = 19}, {name = "eve", age = 25},
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
for _, p in ipairs(people) do io.write(p.name, ":", p.age, " ") end
print()
table.sort({}); table.sort({1}); print("trivial ok")
local one = {42}; table.sort(one, function() error("never called") end); print(one[1])
-- sorted, reversed, and all-equal inputs
local function check(n, gen)
  local a = {}
  for i = 1, n do a[i] = gen(i) end
  table.sort(a)
  for i = 2, n do if a[i - 1] > a[i] then return "unsorted at " .. i end end
  return "sorted " .. n
end
print(check(1000, function(i) return i end))
print(check(1000, function(i) return -i end))
print(check(1000, function(i) return 7 end))
print(check(1000, function(i) return (i * 7919) % 1000 end))
print(check(5000, function(i) return tostring((i * 31) % 977) end))
-- __lt used when no comparator is given
local mt = {__lt = function(a, b) return a.k < b.k end}
local objs = {}
for i, k in ipairs({5, 3, 9, 1, 7}) do objs[i] = setmetatable({k = k}, mt) end
table.sort(objs)
for _, o in ipairs(objs) do io.write(o.k, " ") end
print()
-- comparator that counts calls (the count is algorithm-specific, so only
-- its positivity is printed)
local calls = 0
local arr = {}
for i = 1, 200 do arr[i] = (i * 37) % 200 end
table.sort(arr, function(a, b) calls = calls + 1 return a < b end)
print(arr[1], arr[100], arr[200], calls > 0)
