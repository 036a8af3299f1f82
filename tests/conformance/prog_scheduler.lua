-- A larger program: a discrete-event simulation built on the coroutine
-- library: a scheduler with a virtual clock and a timer heap, tasks that
-- sleep, channels with blocking send/receive, a bank with transfers
-- between accounts, and a deterministic event log.
local now, seq = 0, 0
local ready, timers = {}, {}
local log = {}
local function emit(fmt, ...) log[#log + 1] = string.format("[t=%3d] " .. fmt, now, ...) end
local function spawn(name, f, ...)
  local co = coroutine.create(f)
  ready[#ready + 1] = {co = co, name = name, args = table.pack(...)}
end
local function sleep(dt) coroutine.yield("sleep", dt) end
local function block() return coroutine.yield("block") end
local current
local function wake(task, ...) ready[#ready + 1] = {co = task.co, name = task.name, args = table.pack(...)} end
local function run()
  while true do
    while #ready > 0 do
      local t = table.remove(ready, 1)
      current = t
      local ok, what, arg = coroutine.resume(t.co, table.unpack(t.args, 1, t.args.n))
      if not ok then emit("task %s failed: %s", t.name, tostring(what))
      elseif coroutine.status(t.co) == "dead" then emit("task %s finished", t.name)
      elseif what == "sleep" then
        seq = seq + 1
        timers[#timers + 1] = {at = now + arg, seq = seq, task = {co = t.co, name = t.name}}
      end
    end
    if #timers == 0 then break end
    table.sort(timers, function(a, b) if a.at ~= b.at then return a.at < b.at end return a.seq < b.seq end)
    local tm = table.remove(timers, 1)
    now = tm.at
    wake(tm.task)
  end
end
local Channel = {}
Channel.__index = Channel
function Channel.new() return setmetatable({items = {}, waiting = {}}, Channel) end
function Channel:send(v)
  if #self.waiting > 0 then wake(table.remove(self.waiting, 1), v)
  else self.items[#self.items + 1] = v end
end
function Channel:recv()
  if #self.items > 0 then return table.remove(self.items, 1) end
  self.waiting[#self.waiting + 1] = {co = current.co, name = current.name}
  return block()
end
local accounts = {alice = 100, bob = 50, carol = 0}
local requests = Channel.new()
local results = Channel.new()
spawn("bank", function()
  while true do
    local req = requests:recv()
    if req == "close" then break end
    sleep(2)
    local from, to, amount = req.from, req.to, req.amount
    if accounts[from] >= amount then
      accounts[from] = accounts[from] - amount
      accounts[to] = accounts[to] + amount
      emit("transfer %s -> %s %d ok", from, to, amount)
      results:send(true)
    else
      emit("transfer %s -> %s %d refused", from, to, amount)
      results:send(false)
    end
  end
end)
spawn("client1", function()
  for i = 1, 3 do
    requests:send({from = "alice", to = "carol", amount = 30})
    local ok = results:recv()
    emit("client1 got %s", tostring(ok))
    sleep(5)
  end
end)
spawn("client2", function()
  sleep(1)
  for i = 1, 3 do
    requests:send({from = "bob", to = "alice", amount = 40})
    emit("client2 sent %d", i)
    sleep(3)
  end
end)
spawn("auditor", function()
  for i = 1, 4 do
    sleep(6)
    local total = accounts.alice + accounts.bob + accounts.carol
    emit("audit %d: alice=%d bob=%d carol=%d total=%d", i, accounts.alice, accounts.bob, accounts.carol, total)
  end
  requests:send("close")
end)
spawn("faulty", function() sleep(4) error("simulated failure", 0) end)
run()
print(table.concat(log, "\n"))
print("final time", now)
