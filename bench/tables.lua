-- tables: array fill and read (integer keys), hash insert, lookup and
-- update with string keys, field access on small records; measures table
-- get/set paths and string-key hashing.
local N = tonumber(arg and arg[1]) or 1000000
local arr = {}
for i = 1, N do arr[i] = i * 2 end
local s = 0
for r = 1, 40 do
  for i = 1, N do s = s + arr[i] end
end
local keys = {}
for i = 1, 2000 do keys[i] = "key" .. i end
local h = {}
for r = 1, 4000 do
  for i = 1, 2000 do
    local k = keys[i]
    h[k] = (h[k] or 0) + r
  end
end
local hs = 0
for i = 1, 2000 do hs = hs + h[keys[i]] end
local recs = {}
for i = 1, 1000 do recs[i] = {x = i, y = -i, z = 0} end
for r = 1, 6000 do
  for i = 1, 1000 do
    local p = recs[i]
    p.z = p.z + p.x * p.y % 10
  end
end
local zs = 0
for i = 1, 1000 do zs = zs + recs[i].z end
print(string.format("array=%d hash=%d records=%d", s, hs, zs))
