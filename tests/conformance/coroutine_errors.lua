-- Errors inside coroutines: resume returning false plus the error value
-- (strings with position, tables, nil), errors after yields, errors in
-- nested coroutines, resuming dead coroutines, yielding across pcall
-- inside a coroutine, and error objects crossing resume boundaries.
local co = coroutine.create(function(x)
  coroutine.yield(x)
  error("after yield")
end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co))
-- different error values
for _, v in ipairs({"s", 12, true}) do
  local c = coroutine.create(function() error(v, 0) end)
  print(coroutine.resume(c))
end
local cn = coroutine.create(function() error(nil) end)
print(coroutine.resume(cn))
local ct = coroutine.create(function() error(setmetatable({}, {__tostring = function() return "custom" end})) end)
local ok, err = coroutine.resume(ct)
print(ok, tostring(err))
-- runtime errors have positions
local cr = coroutine.create(function() local t = nil; return t.x end)
print(coroutine.resume(cr))
-- pcall inside a coroutine catches errors and the coroutine goes on
local cp = coroutine.create(function()
  local ok1, e1 = pcall(error, "caught inside", 0)
  coroutine.yield(ok1, e1)
  return "still alive"
end)
print(coroutine.resume(cp))
print(coroutine.resume(cp))
-- yield across pcall
local cy = coroutine.create(function()
  local ok2, v = pcall(function()
    local got = coroutine.yield("yielded from pcall")
    if got == "raise" then error("raised after resume", 0) end
    return got
  end)
  coroutine.yield("pcall returned", ok2, v)
  local ok3, v3 = pcall(function()
    local got = coroutine.yield("second")
    error(got, 0)
  end)
  return ok3, v3
end)
print(coroutine.resume(cy))
print(coroutine.resume(cy, "value"))
print(coroutine.resume(cy))
print(coroutine.resume(cy, "boom"))
print(coroutine.status(cy))
-- yield across xpcall with a handler
local cx = coroutine.create(function()
  return xpcall(function()
    coroutine.yield(1)
    error("x fail", 0)
  end, function(m) return "handled " .. m end)
end)
print(coroutine.resume(cx))
print(coroutine.resume(cx))
-- an error in a nested coroutine does not kill the outer one
local outer = coroutine.create(function()
  local inner = coroutine.create(function() error("inner died", 0) end)
  local ok4, e4 = coroutine.resume(inner)
  coroutine.yield(ok4, e4, coroutine.status(inner))
  return "outer done"
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
-- resume arguments errors
print(pcall(coroutine.resume))
print(pcall(coroutine.resume, {}))
print(coroutine.resume(coroutine.create(function() end)))
-- wrap: resuming a dead wrapped coroutine
local w = coroutine.wrap(function() return 1 end)
print(w())
print(pcall(w))
-- yield from inside a metamethod and an iterator
local mc = coroutine.create(function()
  local t = setmetatable({}, {__index = function(_, k) return coroutine.yield("index " .. k) end})
  local v = t.key
  local sum = 0
  for x in function(_, c) c = (c or 0) + 1 if c <= 2 then coroutine.yield("iter " .. c) return c end end do sum = sum + x end
  return v, sum
end)
print(coroutine.resume(mc))
print(coroutine.resume(mc, "got value"))
print(coroutine.resume(mc))
print(coroutine.resume(mc))
-- yield across a C boundary that does not allow it
local cs = coroutine.create(function()
  table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(cs))
local cg = coroutine.create(function()
  return (string.gsub("ab", "%w", function(c) coroutine.yield(c) end))
end)
print(coroutine.resume(cg))
