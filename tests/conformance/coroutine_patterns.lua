-- Coroutine programming patterns: producer/consumer with filters,
-- generators via wrap, a round-robin scheduler of cooperative tasks, a
-- pipeline of stages, coroutine-based iterators over trees, and closing
-- suspended generators with pending <close> variables.
-- producer / filter / consumer (pull style)
local function producer(items)
  return coroutine.create(function()
    for _, it in ipairs(items) do coroutine.yield(it) end
  end)
end
local function receive(p)
  local ok, v = coroutine.resume(p)
  return v
end
local function filter(p, pred)
  return coroutine.create(function()
    while true do
      local v = receive(p)
      if v == nil then return end
      if pred(v) then coroutine.yield(v) end
    end
  end)
end
local function consumer(p)
  local got = {}
  while true do
    local v = receive(p)
    if v == nil then break end
    got[#got + 1] = v
  end
  return table.concat(got, " ")
end
print(consumer(filter(producer({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), function(v) return v % 3 ~= 0 end)))
-- push style: the consumer is a coroutine that receives with yield
local sink = coroutine.create(function()
  local total = 0
  while true do
    local v = coroutine.yield(total)
    if v == nil then return "final " .. total end
    total = total + v
  end
end)
coroutine.resume(sink)
for i = 1, 10 do coroutine.resume(sink, i) end
print(coroutine.resume(sink, nil))
-- round-robin scheduler
local tasks, output = {}, {}
local function spawn(name, n)
  tasks[#tasks + 1] = coroutine.create(function()
    for i = 1, n do output[#output + 1] = name .. i coroutine.yield() end
  end)
end
spawn("a", 3); spawn("b", 1); spawn("c", 2)
while #tasks > 0 do
  local t = table.remove(tasks, 1)
  coroutine.resume(t)
  if coroutine.status(t) ~= "dead" then tasks[#tasks + 1] = t end
end
print(table.concat(output, " "))
-- a pipeline of 8 stages, each adding its index
local function source(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local function stage(prev, k)
  return coroutine.wrap(function() for v in prev do coroutine.yield(v * 2 + k) end end)
end
local p = source(20)
for k = 1, 8 do p = stage(p, k) end
local sum = 0
for v in p do sum = sum + v end
print(sum)
-- fibonacci generator, taking the first 30
local function fib()
  return coroutine.wrap(function()
    local a, b = 0, 1
    while true do coroutine.yield(a) a, b = b, a + b end
  end)
end
local f = fib()
local fs = {}
for i = 1, 30 do fs[i] = f() end
print(fs[10], fs[20], fs[30])
-- merging two sorted generators
local function from(list) return coroutine.wrap(function() for _, v in ipairs(list) do coroutine.yield(v) end end) end
local function merge(g1, g2)
  return coroutine.wrap(function()
    local a, b = g1(), g2()
    while a or b do
      if b == nil or (a ~= nil and a <= b) then coroutine.yield(a) a = g1()
      else coroutine.yield(b) b = g2() end
    end
  end)
end
local merged = {}
for v in merge(from({1, 4, 6, 9}), from({2, 3, 7, 10, 11})) do merged[#merged + 1] = v end
print(table.concat(merged, " "))
-- closing a suspended generator runs its pending <close> variables
local log = {}
local gen = coroutine.create(function()
  local res <close> = setmetatable({}, {__close = function() log[#log + 1] = "resource released" end})
  for i = 1, 10 do coroutine.yield(i) end
end)
coroutine.resume(gen); coroutine.resume(gen)
print(coroutine.close(gen), coroutine.status(gen), log[1])
-- same-fringe problem
local function leaves(t)
  return coroutine.wrap(function()
    local function w(n) if type(n) == "table" then for _, c in ipairs(n) do w(c) end else coroutine.yield(n) end end
    w(t)
  end)
end
local function samefringe(t1, t2)
  local g1, g2 = leaves(t1), leaves(t2)
  while true do
    local a, b = g1(), g2()
    if a ~= b then return false end
    if a == nil then return true end
  end
end
print(samefringe({1, {2, 3}, {{4}}}, {{1, 2}, 3, 4}), samefringe({1, 2, 3}, {1, {2, 4}}))
-- deep recursion inside a coroutine
local deep = coroutine.wrap(function()
  local function r(n) if n == 0 then return coroutine.yield("bottom") end return r(n - 1) end
  local function nr(n) if n == 0 then return coroutine.yield("bottom2") end local v = nr(n - 1) return v end
  r(100000)
  return nr(10000)
end)
print(deep(), deep(), deep("resumed"))
