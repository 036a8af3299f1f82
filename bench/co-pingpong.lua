-- co-pingpong: one coroutine and the main program exchange a value on
-- every resume/yield (many round trips); measures the cost of a coroutine
-- switch in both directions with one value each way.
local N = tonumber(arg and arg[1]) or 10000000
local co = coroutine.create(function(v)
  while true do v = coroutine.yield(v + 1) end
end)
local x = 0
local resume = coroutine.resume
for i = 1, N do
  local _, y = resume(co, x)
  x = y
end
print(string.format("round trips %d, final value %d", N, x))
