-- co-pipeline: an 8-stage generator pipeline; a source coroutine yields
-- 1..N and each stage is a coroutine (coroutine.wrap) that pulls from the
-- previous one and yields a transformed value; measures chained
-- resume/yield through generic for loops.
local N = tonumber(arg and arg[1]) or 1000000
-- (cyield, not yield: yield is a reserved word in Coro)
local wrap, cyield = coroutine.wrap, coroutine.yield
local function source(n)
  return wrap(function() for i = 1, n do cyield(i) end end)
end
local function stage(prev, k)
  return wrap(function()
    for v in prev do cyield((v * 3 + k) % 1000003) end
  end)
end
local p = source(N)
for k = 1, 8 do p = stage(p, k) end
local sum, count = 0, 0
for v in p do sum = sum + v count = count + 1 end
print(string.format("items %d, checksum %d", count, sum))
