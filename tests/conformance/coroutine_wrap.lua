-- coroutine.wrap: generators as functions, values in and out, errors
-- propagated to the caller with position information prepended for
-- string errors (not for tables), "cannot resume dead coroutine" raised
-- as an error, wrap used as a generic-for iterator, and recursion.
local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a * 2)
  local c = coroutine.yield(a + b)
  return "ret", c
end)
print(gen(5))
print(gen(10))
print(gen("c"))
print(pcall(gen))
-- error propagation with position
local bad = coroutine.wrap(function() error("inside wrap") end)
print(pcall(bad))
local bad0 = coroutine.wrap(function() error("no position", 0) end)
print(pcall(bad0))
local badt = coroutine.wrap(function() error({tag = "tbl"}) end)
local ok, e = pcall(badt)
print(ok, type(e), e.tag)
local badn = coroutine.wrap(function() error(42) end)
print(pcall(badn))
local badrt = coroutine.wrap(function() local x = nil return x.y end)
print(pcall(badrt))
-- called from a Lua function, the caller's position is prepended to
-- string errors (and to "cannot resume dead coroutine")
local bad2 = coroutine.wrap(function() error("inside wrap") end)
print(pcall(function() return bad2() end))
local bad3 = coroutine.wrap(function() error("no position", 0) end)
print(pcall(function() local v = bad3() return v end))
print(pcall(function() return bad3() end))
local badt2 = coroutine.wrap(function() error({tag = "still a table"}) end)
print(select(2, pcall(function() return badt2() end)).tag)
-- error from a nested wrap gets a position per level
local lvl2 = coroutine.wrap(function()
  local lvl1 = coroutine.wrap(function() error("deep", 0) end)
  lvl1()
end)
print(pcall(lvl2))
-- wrap as a for iterator
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for i in range(100) do s = s + i end
print(s)
-- permutations generator (Programming in Lua)
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return coroutine.wrap(function() permgen(a) end)
end
local perms = {}
for p in permutations({"a", "b", "c"}) do perms[#perms + 1] = table.concat(p) end
print(#perms, table.concat(perms, " "))
-- recursive tree walk yielding leaves in order
local tree = {1, {2, {3, 4}, 5}, {{6}}, 7}
local function walk(t)
  for _, v in ipairs(t) do
    if type(v) == "table" then walk(v) else coroutine.yield(v) end
  end
end
local leaves = {}
for leaf in coroutine.wrap(function() walk(tree) end) do leaves[#leaves + 1] = leaf end
print(table.concat(leaves, ","))
-- wrap of a non-function
print(pcall(coroutine.wrap, 42))
print(pcall(coroutine.wrap))
-- the wrapped coroutine is invisible: coroutine.running inside is a thread
print(coroutine.wrap(function() local co, main = coroutine.running() return type(co), main end)())
