-- co-create: creates many short-lived coroutines, each resumed twice (it
-- yields once, then returns); measures coroutine creation, first resume,
-- finishing and collection.
local N = tonumber(arg and arg[1]) or 3000000
local function body(a)
  local b = coroutine.yield(a * 2)
  return a + b
end
local create, resume = coroutine.create, coroutine.resume
local sum = 0
for i = 1, N do
  local co = create(body)
  local _, x = resume(co, i % 1000)
  local _, y = resume(co, 1)
  sum = sum + x + y
end
print(string.format("coroutines %d, checksum %d", N, sum))
