-- math.random and math.randomseed: ranges and types of results with a
-- fixed seed (never the exact values, which are generator-specific),
-- the argument forms random(), random(m), random(m, n), random(0), and
-- the errors for empty intervals.
math.randomseed(42)
local okf, oki, okr = true, true, true
for i = 1, 10000 do
  local f = math.random()
  if math.type(f) ~= "float" or f < 0 or f >= 1 then okf = false end
  local n = math.random(6)
  if math.type(n) ~= "integer" or n < 1 or n > 6 then oki = false end
  local r = math.random(-3, 3)
  if r < -3 or r > 3 then okr = false end
end
print(okf, oki, okr)
-- every value in a small range appears
local seen = {}
for i = 1, 2000 do seen[math.random(1, 5)] = true end
print(seen[1], seen[2], seen[3], seen[4], seen[5], seen[0], seen[6])
-- same seed, same sequence
math.randomseed(7)
local a = {math.random(100), math.random(100), math.random()}
math.randomseed(7)
local b = {math.random(100), math.random(100), math.random()}
print(a[1] == b[1], a[2] == b[2], a[3] == b[3])
-- random(0) gives a full-range integer
print(math.type(math.random(0)))
-- extremes
print(math.random(5, 5), math.random(math.maxinteger, math.maxinteger))
local x = math.random(math.mininteger, math.maxinteger)
print(math.type(x))
-- errors
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0.5))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, "a"))
print(pcall(math.random, 0, -1))
-- randomseed wants an integer (a float with an exact integer value is fine)
print(pcall(math.randomseed, 1.5))
print((pcall(math.randomseed, 2.0)))
-- a shuffle keeps the multiset
math.randomseed(123)
local arr = {}
for i = 1, 50 do arr[i] = i end
for i = #arr, 2, -1 do
  local j = math.random(i)
  arr[i], arr[j] = arr[j], arr[i]
end
local sum = 0
for _, v in ipairs(arr) do sum = sum + v end
table.sort(arr)
print(sum, arr[1], arr[50], #arr)
