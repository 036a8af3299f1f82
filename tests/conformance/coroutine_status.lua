-- Every status transition: suspended (created, yielded), running (inside
-- itself), normal (when it resumed another), dead (returned, errored);
-- resuming running, normal and dead coroutines; and coroutine.close in
-- each state.
local log = {}
local A, B
A = coroutine.create(function()
  log[#log + 1] = "A running: " .. coroutine.status(A)
  coroutine.resume(B)
  log[#log + 1] = "A after B: " .. coroutine.status(B)
  coroutine.yield()
end)
B = coroutine.create(function()
  log[#log + 1] = "B sees A: " .. coroutine.status(A)
  log[#log + 1] = "B running: " .. coroutine.status(B)
  log[#log + 1] = "resume A from B: " .. table.concat({tostring(select(1, coroutine.resume(A))), tostring(select(2, coroutine.resume(A)))}, " ")
  log[#log + 1] = "resume self: " .. tostring(select(2, coroutine.resume(B)))
  coroutine.yield()
end)
print(coroutine.status(A), coroutine.status(B))
coroutine.resume(A)
print(table.concat(log, "\n"))
print(coroutine.status(A), coroutine.status(B))
print(coroutine.resume(A))
print(coroutine.status(A))
print(coroutine.resume(A))
print(coroutine.resume(B))
print(coroutine.status(B))
-- error makes it dead
local E = coroutine.create(function() error("fail") end)
print(coroutine.resume(E))
print(coroutine.status(E))
print(coroutine.resume(E))
-- close in each state
local fresh = coroutine.create(function() end)
print(coroutine.close(fresh), coroutine.status(fresh))
local susp = coroutine.create(function() coroutine.yield() end)
coroutine.resume(susp)
print(coroutine.close(susp), coroutine.status(susp))
print(coroutine.close(susp))
local errd = coroutine.create(function() error({code = 5}) end)
coroutine.resume(errd)
local ok, e = coroutine.close(errd)
print(ok, type(e), e.code)
local errs = coroutine.create(function() error("str", 0) end)
coroutine.resume(errs)
print(coroutine.close(errs))
print(coroutine.close(errs))
-- closing a running or normal coroutine is an error
local selfclose = coroutine.create(function() return pcall(coroutine.close, coroutine.running()) end)
print(coroutine.resume(selfclose))
local outer
outer = coroutine.create(function()
  local innerco = coroutine.create(function() return pcall(coroutine.close, outer) end)
  return coroutine.resume(innerco)
end)
print(coroutine.resume(outer))
-- closing the main coroutine
print(pcall(coroutine.close, (coroutine.running())))
-- status of non-coroutines
print(pcall(coroutine.status, 1))
print(pcall(coroutine.status))
