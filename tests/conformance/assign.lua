-- Multiple assignment: all expressions are evaluated before any
-- assignment (swaps, rotations, a[i], i = ...), adjustment of values to
-- targets, function results truncated or expanded, and locals declared
-- in one statement not visible in their own initialisers.
local a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
local x, y = 1
print(x, y)
x, y = 1, 2, 3
print(x, y)
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, 20          -- t[1] is assigned: the index uses the old i
print(i, t[1], t[2])
t = {}
local k = "a"
t[k], k = "first", "b"
print(t.a, t.b, k)
-- swaps of table fields
local p = {x = 1, y = 2}
p.x, p.y = p.y, p.x
print(p.x, p.y)
local arr = {10, 20, 30}
arr[1], arr[3] = arr[3], arr[1]
print(arr[1], arr[2], arr[3])
-- function results
local function two() return "r1", "r2" end
local m, n, o = two()
print(m, n, o)
m, n, o = two(), "z"
print(m, n, o)
m, n, o = (two())
print(m, n, o)
m, n, o = "first", two()
print(m, n, o)
-- a local's initialiser sees the outer variable of the same name
local v = "outer"
do
  local v = v .. "+inner"
  print(v)
end
print(v)
local q = 1
local q, r = q + 1, q + 2
print(q, r)
-- assignment to globals and locals mixed
G1, local_like = 5, 6
print(G1, local_like)
G1, G2 = G2, G1
print(G1, G2)
-- chained assignment through a function call on the left
local store = {}
local function target() return store end
target().field, target().other = "f", "o"
print(store.field, store.other)
-- nested tables on the left side
local nest = {inner = {}}
nest.inner.a, nest.inner.b = 1, 2
print(nest.inner.a + nest.inner.b)
-- the right-hand side is evaluated with the old values
local u1, u2, u3 = 1, 2, 3
u1, u2, u3 = u2 + u3, u1 + u3, u1 + u2
print(u1, u2, u3)
-- string keys with same value as integer keys are distinct
local mix = {}
mix[1], mix["1"] = "int", "str"
print(mix[1], mix["1"])
