-- co-suspended: creates 1,000,000 coroutines and resumes each once so all
-- of them are suspended inside their body at the same time, then resumes
-- them all to completion; measures the memory of a suspended coroutine
-- (see the peak RSS column) and the cost of creating and parking many.
local N = tonumber(arg and arg[1]) or 1000000
local create, resume, status = coroutine.create, coroutine.resume, coroutine.status
local function body(i)
  local extra = coroutine.yield(i % 7)
  return i % 10 + extra
end
local cos = {}
local parked = 0
for i = 1, N do
  local co = create(body)
  local _, v = resume(co, i)
  parked = parked + v
  cos[i] = co
end
local suspended = 0
for i = 1, N do
  if status(cos[i]) == "suspended" then suspended = suspended + 1 end
end
local finished = 0
for i = 1, N do
  local _, v = resume(cos[i], 1)
  finished = finished + v
  cos[i] = nil
end
print(string.format("suspended %d, checksums %d %d", suspended, parked, finished))
