-- Varargs: select('#') with nils, select(n) and negative indices,
-- table.pack, '...' in the middle of lists (truncated to one value) and
-- at the end (expanded), adjustment to the number of targets, varargs
-- in main chunk, and passing through several levels.
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function mid(...) return ..., "end" end
print(mid(1, 2, 3))
print(mid())
local function last(...) return "start", ... end
print(last(1, 2, 3))
print(last())
print((last(1, 2)))
local function pass(...) return ... end
print(pass(1, nil, 3))
print(count(pass(nil, nil)))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select("#"))
print(pcall(select, 0, "a"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, "x"))
print(pcall(select))
print(select(2.0, "a", "b"))
print(pcall(select, 1.5, "a"))
-- adjustment
local a, b, c = pass(1, 2)
print(a, b, c)
local d, e = pass(1, 2, 3)
print(d, e)
local x, y, z = pass(1), 10
print(x, y, z)
local t = {pass(1, 2), pass(3, 4)}
print(#t, t[1], t[2], t[3])
-- varargs in table constructors and function arguments
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s
end
print(sum(1, 2, 3, nil, 5), sum(), sum(pass(10, 20)))
print(math.max(pass(3, 9, 2)), string.format("%s-%s", pass("a", "b", "c")))
-- ... copied into locals
local function first_two(...)
  local p, q = ...
  return p, q
end
print(first_two(7, 8, 9))
-- varargs of the main chunk
print(count(...), ... == nil)
-- recursion over varargs
local function rev(...)
  if select("#", ...) == 0 then return end
  local head = ...
  return rev(select(2, ...)), head  -- only first value of rev(...) kept
end
print(rev(1, 2, 3))
local function reverse(...)
  local n = select("#", ...)
  local t = {...}
  for i = 1, n // 2 do t[i], t[n - i + 1] = t[n - i + 1], t[i] end
  return table.unpack(t, 1, n)
end
print(reverse(1, 2, 3, 4, 5))
-- large vararg lists
local big = {}
for i = 1, 250 do big[i] = i end
print(count(table.unpack(big)), sum(table.unpack(big)))
-- varargs with table.pack and n
local packed = table.pack(pass(nil, 2, nil))
print(packed.n, packed[1], packed[2], packed[3])
-- string.format with varargs
local function fmt(f, ...) return f:format(...) end
print(fmt("%d+%d=%d", 2, 3, 5))
