-- coroutine library basics: create/resume/yield passing values both ways,
-- the first resume's arguments becoming the body's parameters, return
-- values of the body ending the coroutine, yield with no values and many
-- values, running/isyieldable inside and outside, and type().
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c, d = coroutine.yield(a + b)
  print("got", c, d)
  local e = coroutine.yield(c * d)
  print("got", e)
  return "done", e
end)
print(type(co), coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 3, 4))
print(coroutine.resume(co, "last"))
print(coroutine.status(co))
print(coroutine.resume(co))
-- yield with no values and with many values
local co2 = coroutine.create(function(...)
  coroutine.yield()
  coroutine.yield(...)
  coroutine.yield(nil, nil)
  return
end)
print(select("#", coroutine.resume(co2, 1, nil, 3)))
print(coroutine.resume(co2))
print(select("#", coroutine.resume(co2)))
print(select("#", coroutine.resume(co2)))
print(coroutine.status(co2))
-- resume passes extra values to yield, which returns them all
local co3 = coroutine.create(function()
  local n = select("#", coroutine.yield())
  return n
end)
coroutine.resume(co3)
print(coroutine.resume(co3, 1, 2, 3, nil))
-- running and isyieldable
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.isyieldable())
local inner
local co4 = coroutine.create(function()
  local me, im = coroutine.running()
  inner = me
  print("inside", type(me), im, coroutine.isyieldable(), coroutine.status(me))
end)
coroutine.resume(co4)
print(inner == co4, coroutine.status(co4))
print(coroutine.isyieldable(co4), coroutine.isyieldable(main))
-- yield outside a coroutine
print(pcall(coroutine.yield, 1))
-- a coroutine as a generator
local function gen(n)
  return coroutine.create(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "end"
  end)
end
local g = gen(4)
while true do
  local ok, a, b = coroutine.resume(g)
  if coroutine.status(g) == "dead" then print("final", ok, a) break end
  io.write(a, ":", b, " ")
end
print()
-- many coroutines alive at once
local cos = {}
for i = 1, 100 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
end
local s = 0
for i = 1, 100 do local _, v = coroutine.resume(cos[i], i) s = s + v end
for i = 1, 100 do local _, v = coroutine.resume(cos[i], 1) s = s + v end
print(s)
