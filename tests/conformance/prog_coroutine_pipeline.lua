-- A larger program built on the standard coroutine library only: a
-- text-processing pipeline of producer/filter/consumer coroutines, lazy
-- generators (permutations, combinations, tree walks, primes), a
-- round-robin scheduler with message queues and sleeping tasks, error
-- handling inside coroutines (resume results, wrap propagating errors,
-- errors with table values, error positions), coroutine.close with
-- pending to-be-closed variables, and status/isyieldable/running checks.

local co = coroutine
local fmt = string.format

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    if type(v) == "thread" then t[i] = "thread"
    elseif type(v) == "function" then t[i] = "function"
    elseif type(v) == "table" then t[i] = v.msg and ("{msg=" .. tostring(v.msg) .. "}") or "table"
    else t[i] = tostring(v) end
  end
  return table.concat(t, " ", 1, t.n)
end

-- 1. Pipelines -----------------------------------------------------------------
print("== pipeline")
local text = [[
The quick brown fox jumps over the lazy dog.
  Pack my box with five dozen liquor jugs!

How vexingly quick daft zebras jump; the five boxing wizards jump quickly.
-- a comment line that the filter drops
Sphinx of black quartz, judge my vow.
]]

local function source(s)
  return co.wrap(function()
    for line in s:gmatch("([^\n]*)\n") do co.yield(line) end
  end)
end

local function filter(pred, upstream)
  return co.wrap(function()
    for item in upstream do
      if pred(item) then co.yield(item) end
    end
  end)
end

local function map(f, upstream)
  return co.wrap(function()
    for item in upstream do co.yield(f(item)) end
  end)
end

local function words(upstream)
  return co.wrap(function()
    local n = 0
    for line in upstream do
      for w in line:gmatch("%a+") do n = n + 1; co.yield(n, w:lower()) end
    end
  end)
end

local function take(n, gen)
  return co.wrap(function()
    for i = 1, n do
      local a, b = gen()
      if a == nil then return end
      co.yield(a, b)
    end
  end)
end

local lines = filter(function(l) return l:match("%S") and not l:match("^%-%-") end, source(text))
local trimmed = map(function(l) return (l:gsub("^%s+", ""):gsub("%s+$", "")) end, lines)
local counts, order, total = {}, {}, 0
for i, w in words(trimmed) do
  total = i
  if not counts[w] then counts[w] = 0; order[#order + 1] = w end
  counts[w] = counts[w] + 1
end
table.sort(order, function(x, y)
  if counts[x] ~= counts[y] then return counts[x] > counts[y] end
  return x < y
end)
local top = {}
for i = 1, 8 do top[i] = fmt("%s=%d", order[i], counts[order[i]]) end
print("words:", total, "distinct:", #order)
print(table.concat(top, " "))
local letters = {}
for _, w in ipairs(order) do for c in w:gmatch(".") do letters[c] = true end end
local ls = {}
for c in pairs(letters) do ls[#ls + 1] = c end
table.sort(ls)
print("letters:", #ls, table.concat(ls))
for i, w in take(5, words(source("one two three\nfour five six seven\n"))) do io.write(i, ":", w, " ") end
print()

-- 2. Generators ------------------------------------------------------------------
print("== generators")
local function permgen(a, n)
  n = n or #a
  if n <= 1 then co.yield(a)
  else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local function permutations(a)
  return co.wrap(function() permgen(a) end)
end
local perms = {}
for p in permutations({"a", "b", "c"}) do perms[#perms + 1] = table.concat(p) end
print(#perms, table.concat(perms, " "))
local count4 = 0
for p in permutations({1, 2, 3, 4}) do
  count4 = count4 + 1
  if count4 % 6 == 0 then io.write(table.concat(p), " ") end
end
print(count4)

local function combinations(t, k)
  return co.wrap(function()
    local chosen = {}
    local function rec(start, depth)
      if depth > k then co.yield(table.unpack(chosen, 1, k)) return end
      for i = start, #t do
        chosen[depth] = t[i]
        rec(i + 1, depth + 1)
      end
    end
    rec(1, 1)
  end)
end
local combos = {}
for a, b, c in combinations({1, 2, 3, 4, 5}, 3) do combos[#combos + 1] = a .. b .. c end
print(#combos, table.concat(combos, ","))

local function primes()
  return co.wrap(function()
    local found = {}
    local n = 2
    while true do
      local isprime = true
      for _, p in ipairs(found) do
        if p * p > n then break end
        if n % p == 0 then isprime = false; break end
      end
      if isprime then found[#found + 1] = n; co.yield(n) end
      n = n + 1
    end
  end)
end
local ps, gen = {}, primes()
for _ = 1, 20 do ps[#ps + 1] = gen() end
print(table.concat(ps, " "))

local tree = {v = 8, l = {v = 3, l = {v = 1}, r = {v = 6, l = {v = 4}, r = {v = 7}}},
              r = {v = 10, r = {v = 14, l = {v = 13}}}}
local function walk(node, depth)
  if not node then return end
  walk(node.l, depth + 1)
  co.yield(node.v, depth)
  walk(node.r, depth + 1)
end
local inorder = {}
for v, d in co.wrap(function() walk(tree, 0) end) do inorder[#inorder + 1] = v .. "@" .. d end
print(table.concat(inorder, " "))

-- merging two sorted generators
local function range(a, b, step)
  return co.wrap(function() for i = a, b, step do co.yield(i) end end)
end
local function merge(g1, g2)
  return co.wrap(function()
    local x, y = g1(), g2()
    while x or y do
      if y == nil or (x ~= nil and x <= y) then co.yield(x); x = g1()
      else co.yield(y); y = g2() end
    end
  end)
end
local merged = {}
for v in merge(range(1, 20, 3), range(2, 12, 4)) do merged[#merged + 1] = v end
print(table.concat(merged, " "))

-- 3. Values through resume/yield -------------------------------------------------
print("== transfer")
local echo = co.create(function(a, b)
  print("start", a, b)
  local c, d, e = co.yield(a + b, a * b)
  print("got", c, d, e)
  local n = select("#", co.yield())
  print("empty resume gave", n)
  local t = table.pack(co.yield(nil, nil, nil))
  print("resume args", t.n, t[1], t[2], t[3])
  return "done", a, b
end)
print(show(co.resume(echo, 3, 4)))
print(show(co.resume(echo, "x", nil, "z")))
print(show(co.resume(echo)))
print(show(co.resume(echo, 1, nil)))
print(show(co.resume(echo)))
print(co.status(echo))

local acc = co.wrap(function(first)
  local sum = first
  while true do
    local v = co.yield(sum)
    if v == nil then break end
    sum = sum + v
  end
  return "final " .. sum
end)
print(acc(10), acc(5), acc(2.5), acc(-20), acc(nil))
print(pcall(acc, 1))

-- 4. Status, running, isyieldable ------------------------------------------------
print("== status")
local main, ismain = co.running()
print(type(main), ismain, co.isyieldable(), co.status(main))
local outer
outer = co.create(function()
  local me, im = co.running()
  print("inside", me == outer, im, co.isyieldable(), co.status(outer), co.status(main))
  local inner = co.create(function()
    print("inner sees outer as", co.status(outer))
    co.yield("from inner")
  end)
  print("inner first", co.resume(inner))
  print("inner state", co.status(inner))
  co.yield()
  print("inner second", co.resume(inner))
  print("inner state", co.status(inner))
  print("inner third", co.resume(inner))
end)
print(co.status(outer))
co.resume(outer)
print(co.status(outer))
co.resume(outer)
print(co.status(outer), co.resume(outer))
print(pcall(co.status, 42))
print(select("#", co.running()))
print(co.resume(co.create(function() return co.isyieldable() end)))
print(co.resume(co.create(function() return pcall(co.yield, "through pcall") end)))
local wrapped_self
wrapped_self = co.wrap(function() return co.status(co.running()) end)
print(wrapped_self())

-- 5. Errors in coroutines --------------------------------------------------------
print("== errors")
local bad = co.create(function(x)
  co.yield(x * 2)
  error("boom at step 2")
end)
print(co.resume(bad, 21))
print(co.resume(bad))
print(co.status(bad), co.resume(bad))
local tblerr = co.create(function() error({msg = "table error", code = 7}) end)
local ok, e = co.resume(tblerr)
print(ok, type(e), e.msg, e.code, co.status(tblerr))
print(co.resume(co.create(function() error("no position", 0) end)))
print(co.resume(co.create(function() error("level two", 2) end)))
print(co.resume(co.create(function() local t = nil; return t.field end)))
print(co.resume(co.create(function() return 1 + {} end)))
print(co.resume(co.create(function() error() end)))
print(pcall(co.resume))
print(pcall(co.create, 1))
print(co.resume(co.running()))
print(pcall(co.yield, 1))

local w = co.wrap(function() co.yield(1); error("wrapped failure") end)
print(w())
print(pcall(w))
print(pcall(w))
local w2 = co.wrap(function() error({msg = "wrapped table"}) end)
local ok2, e2 = pcall(w2)
print(ok2, show(e2))
local w3 = co.wrap(function() error("plain", 0) end)
print(pcall(w3))
local nested = co.wrap(function()
  local inner = co.wrap(function() error("deep error") end)
  inner()
end)
print(pcall(nested))
print(select(2, xpcall(function()
  local c = co.wrap(function() local x = {} .. "" end)
  c()
end, function(m) return "handled: " .. m end)))
local dead = co.create(function() end)
co.resume(dead)
print(co.resume(dead))
print(pcall(co.wrap(function() end)))
local once = co.wrap(function() end)
once()
print(pcall(once))

-- 6. coroutine.close and to-be-closed variables ----------------------------------
print("== close")
local log = {}
local function resource(name)
  return setmetatable({name = name}, {__close = function(r, err)
    log[#log + 1] = r.name .. (err and ("!" .. tostring(err)) or "")
  end})
end
local holder = co.create(function()
  local a <close> = resource("a")
  local b <close> = resource("b")
  co.yield("holding")
  log[#log + 1] = "never"
end)
print(co.resume(holder))
print(co.status(holder), co.close(holder), co.status(holder))
print(table.concat(log, " "))
print(co.close(holder), co.resume(holder))

log = {}
local failing = co.create(function()
  local a <close> = resource("r1")
  local b <close> = setmetatable({}, {__close = function() error("close failed", 0) end})
  local c <close> = resource("r3")
  co.yield()
end)
co.resume(failing)
print(co.close(failing))
print(table.concat(log, " "), co.status(failing))

log = {}
local errored = co.create(function()
  local a <close> = resource("e1")
  error("body error", 0)
end)
print(co.resume(errored))
print(table.concat(log, " "), co.close(errored))
print(table.concat(log, " "), co.status(errored))
print(co.close(co.create(function() end)))
print(pcall(co.close, co.running()))
local selfclose
selfclose = co.create(function() return pcall(co.close, selfclose) end)
print(co.resume(selfclose))

log = {}
do
  local gen = co.wrap(function()
    local r <close> = resource("gen")
    for i = 1, 3 do co.yield(i) end
  end)
  for v in gen do log[#log + 1] = "v" .. v end
end
print(table.concat(log, " "))
log = {}
local function iter_with_close()
  local finished = resource("loop-closer")
  local c = co.wrap(function() for i = 1, 10 do co.yield(i) end end)
  return c, nil, nil, finished
end
for v in iter_with_close() do
  log[#log + 1] = v
  if v == 3 then break end
end
print(table.concat(log, " "))

-- 7. Round-robin scheduler --------------------------------------------------------
print("== scheduler")
local Scheduler = {}
Scheduler.__index = Scheduler
function Scheduler.new() return setmetatable({ready = {}, sleeping = {}, tick = 0, out = {}, boxes = {}}, Scheduler) end
function Scheduler:spawn(name, f, ...)
  local args = table.pack(...)
  local task = {name = name, co = co.create(function() return f(table.unpack(args, 1, args.n)) end)}
  self.ready[#self.ready + 1] = task
  return task
end
function Scheduler:send(to, msg)
  self.boxes[to] = self.boxes[to] or {}
  table.insert(self.boxes[to], msg)
end
function Scheduler:run(limit)
  while (#self.ready > 0 or #self.sleeping > 0) and self.tick < limit do
    self.tick = self.tick + 1
    for i = #self.sleeping, 1, -1 do
      local s = self.sleeping[i]
      if s.wake <= self.tick then table.remove(self.sleeping, i); table.insert(self.ready, s.task) end
    end
    local batch = self.ready
    self.ready = {}
    for _, task in ipairs(batch) do
      local ok, cmd, arg = co.resume(task.co, self, task)
      if not ok then
        self.out[#self.out + 1] = fmt("t%02d %s crashed: %s", self.tick, task.name, tostring(cmd))
      elseif co.status(task.co) == "dead" then
        self.out[#self.out + 1] = fmt("t%02d %s finished -> %s", self.tick, task.name, tostring(cmd))
      elseif cmd == "sleep" then
        self.sleeping[#self.sleeping + 1] = {task = task, wake = self.tick + arg}
      elseif cmd == "recv" then
        local box = self.boxes[task.name]
        if box and #box > 0 then task.msg = table.remove(box, 1) end
        self.ready[#self.ready + 1] = task
      else
        self.ready[#self.ready + 1] = task
      end
    end
  end
  return self.tick
end

local sched = Scheduler.new()
local function log_(s, task, m) s.out[#s.out + 1] = fmt("t%02d %s: %s", s.tick, task.name, m) end
sched:spawn("counter", function(n)
  local s, t = co.yield()
  for i = 1, n do log_(s, t, "count " .. i); s, t = co.yield() end
  return n
end, 3)
sched:spawn("sleeper", function()
  local s, t = co.yield()
  log_(s, t, "going to sleep")
  s, t = co.yield("sleep", 4)
  log_(s, t, "woke up")
  return "rested"
end)
sched:spawn("producer", function()
  local s, t = co.yield()
  for i = 1, 3 do s:send("consumer", "item" .. i); log_(s, t, "sent item" .. i); s, t = co.yield("sleep", 1) end
  s:send("consumer", "stop")
  return "produced 3"
end)
sched:spawn("consumer", function()
  local s, t = co.yield()
  local got = {}
  while true do
    s, t = co.yield("recv")
    local m = t.msg
    t.msg = nil
    if m == "stop" then break end
    if m then got[#got + 1] = m; log_(s, t, "received " .. m) end
  end
  return table.concat(got, "+")
end)
sched:spawn("crasher", function()
  local s, t = co.yield()
  log_(s, t, "about to fail")
  co.yield()
  local x = nil
  return x.boom
end)
print("ticks:", sched:run(50))
for _, l in ipairs(sched.out) do print(l) end

-- 8. Yielding from metamethods: a lazily loaded configuration ------------------
print("== lazy")
local function lazy_config()
  return setmetatable({}, {
    __index = function(t, k)
      local v = co.yield("load", k)
      rawset(t, k, v)
      return v
    end,
    __lt = function(a, b) return co.yield("compare") end,
  })
end
local driver = co.wrap(function()
  local cfg = lazy_config()
  local parts = {cfg.host .. ":" .. cfg.port, cfg.host, tostring(cfg < cfg)}
  local ok, err = pcall(table.sort, {3, 2, 1}, function(x, y) return co.yield("sort") end)
  parts[#parts + 1] = tostring(ok) .. " " .. err
  return "done", table.concat(parts, " | ")
end)
local values = {host = "example.org", port = 8080}
local req, key = driver()
while req ~= "done" do
  print("request", req, key)
  if req == "load" then req, key = driver(values[key]) else req, key = driver(false) end
end
print(key)
