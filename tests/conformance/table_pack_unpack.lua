-- table.pack (field n, holes) and table.unpack (ranges, negative and
-- huge ranges, "too many results to unpack"), plus unpack with __index.
local p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4], #"x")
p = table.pack()
print(p.n, next(p))
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 3))
print(table.unpack({1, 2, 3}, 3, 2))
print(table.unpack({1, 2, 3}, -1, 1))
print(table.unpack({1, nil, 3}, 1, 3))
print(select("#", table.unpack({}, 1, 5)))
print(select("#", table.unpack({n = 4}, 1, p.n)))
print(table.unpack({"a", "b"}, 1.0, 2.0))
print(pcall(table.unpack, {}, 1, 1e8))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))
print(pcall(table.unpack, {}, 1.5))
print(pcall(table.unpack, {}, 0, -1))
print(table.unpack({}, math.maxinteger, math.maxinteger))
print(table.unpack(setmetatable({}, {__index = function(_, i) return i * i end}), 1, 4))
local function count(...) return select("#", ...) end
local big = {}
for i = 1, 5000 do big[i] = i end
print(count(table.unpack(big)))
local packed = table.pack(table.unpack(big))
print(packed.n, packed[5000])
-- pack/unpack round trip keeps nils when n is used
local function roundtrip(...)
  local t = table.pack(...)
  return table.unpack(t, 1, t.n)
end
print(count(roundtrip(nil, nil, nil)), roundtrip(1, nil, 2))
