-- richards: a Lua version of Martin Richards' operating-system simulation
-- benchmark (an idle task, a worker, two handlers and two devices passing
-- packets through a scheduler); measures method calls through
-- metatables, field access and object-oriented control flow.
local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local NUMBER_OF_IDS = 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4
local COUNT = 1000
local EXPECTED_QUEUE_COUNT, EXPECTED_HOLD_COUNT = 2322, 928

local STATE_RUNNING, STATE_RUNNABLE, STATE_SUSPENDED, STATE_HELD = 0, 1, 2, 4
local STATE_SUSPENDED_RUNNABLE = STATE_SUSPENDED + STATE_RUNNABLE

local Packet = {}
Packet.__index = Packet
function Packet.new(link, id, kind)
  local p = setmetatable({link = link, id = id, kind = kind, a1 = 0, a2 = {}}, Packet)
  for i = 1, DATA_SIZE do p.a2[i] = 0 end
  return p
end
function Packet:addTo(queue)
  self.link = nil
  if queue == nil then return self end
  local peek, next = nil, queue
  repeat
    peek = next
    next = peek.link
  until next == nil
  peek.link = self
  return queue
end

local TaskControlBlock = {}
TaskControlBlock.__index = TaskControlBlock
function TaskControlBlock.new(link, id, priority, queue, task)
  local t = setmetatable({link = link, id = id, priority = priority, queue = queue, task = task}, TaskControlBlock)
  if queue == nil then t.state = STATE_SUSPENDED else t.state = STATE_SUSPENDED_RUNNABLE end
  return t
end
function TaskControlBlock:setRunning() self.state = STATE_RUNNING end
function TaskControlBlock:markAsNotHeld()
  if self.state >= STATE_HELD then self.state = self.state - STATE_HELD end
end
function TaskControlBlock:markAsHeld()
  if self.state < STATE_HELD then self.state = self.state + STATE_HELD end
end
function TaskControlBlock:isHeldOrSuspended()
  return self.state >= STATE_HELD or self.state == STATE_SUSPENDED
end
function TaskControlBlock:markAsSuspended()
  if self.state % 4 < STATE_SUSPENDED then self.state = self.state + STATE_SUSPENDED end
end
function TaskControlBlock:markAsRunnable()
  if self.state % 2 == 0 then self.state = self.state + STATE_RUNNABLE end
end
function TaskControlBlock:run()
  local packet
  if self.state == STATE_SUSPENDED_RUNNABLE then
    packet = self.queue
    self.queue = packet.link
    if self.queue == nil then self.state = STATE_RUNNING else self.state = STATE_RUNNABLE end
  end
  return self.task:run(packet)
end
function TaskControlBlock:checkPriorityAdd(task, packet)
  if self.queue == nil then
    self.queue = packet
    self:markAsRunnable()
    if self.priority > task.priority then return self end
  else
    self.queue = packet:addTo(self.queue)
  end
  return task
end

local Scheduler = {}
Scheduler.__index = Scheduler
function Scheduler.new()
  return setmetatable({queueCount = 0, holdCount = 0, blocks = {}, list = nil, currentTcb = nil, currentId = nil}, Scheduler)
end
function Scheduler:addTask(id, priority, queue, task)
  self.currentTcb = TaskControlBlock.new(self.list, id, priority, queue, task)
  self.list = self.currentTcb
  self.blocks[id] = self.currentTcb
end
function Scheduler:addRunningTask(id, priority, queue, task)
  self:addTask(id, priority, queue, task)
  self.currentTcb:setRunning()
end
function Scheduler:schedule()
  self.currentTcb = self.list
  while self.currentTcb ~= nil do
    if self.currentTcb:isHeldOrSuspended() then
      self.currentTcb = self.currentTcb.link
    else
      self.currentId = self.currentTcb.id
      self.currentTcb = self.currentTcb:run()
    end
  end
end
function Scheduler:release(id)
  local tcb = self.blocks[id]
  if tcb == nil then return tcb end
  tcb:markAsNotHeld()
  if tcb.priority > self.currentTcb.priority then return tcb end
  return self.currentTcb
end
function Scheduler:holdCurrent()
  self.holdCount = self.holdCount + 1
  self.currentTcb:markAsHeld()
  return self.currentTcb.link
end
function Scheduler:suspendCurrent()
  self.currentTcb:markAsSuspended()
  return self.currentTcb
end
function Scheduler:queue(packet)
  local t = self.blocks[packet.id]
  if t == nil then return t end
  self.queueCount = self.queueCount + 1
  packet.link = nil
  packet.id = self.currentId
  return t:checkPriorityAdd(self.currentTcb, packet)
end

local IdleTask = {}
IdleTask.__index = IdleTask
function IdleTask.new(scheduler, v1, count) return setmetatable({scheduler = scheduler, v1 = v1, count = count}, IdleTask) end
function IdleTask:run(packet)
  self.count = self.count - 1
  if self.count == 0 then return self.scheduler:holdCurrent() end
  if self.v1 % 2 == 0 then
    self.v1 = self.v1 / 2
    return self.scheduler:release(ID_DEVICE_A)
  else
    self.v1 = (self.v1 - 1) / 2
    -- emulate the xor with 0xD008 on the shifted value
    local v, k, r, bit = self.v1, 0xD008, 0, 1
    while v > 0 or k > 0 do
      local a, b = v % 2, k % 2
      if a ~= b then r = r + bit end
      v = (v - a) / 2; k = (k - b) / 2; bit = bit * 2
    end
    self.v1 = r
    return self.scheduler:release(ID_DEVICE_B)
  end
end

local DeviceTask = {}
DeviceTask.__index = DeviceTask
function DeviceTask.new(scheduler) return setmetatable({scheduler = scheduler, v1 = nil}, DeviceTask) end
function DeviceTask:run(packet)
  if packet == nil then
    if self.v1 == nil then return self.scheduler:suspendCurrent() end
    local v = self.v1
    self.v1 = nil
    return self.scheduler:queue(v)
  else
    self.v1 = packet
    return self.scheduler:holdCurrent()
  end
end

local WorkerTask = {}
WorkerTask.__index = WorkerTask
function WorkerTask.new(scheduler, v1, v2) return setmetatable({scheduler = scheduler, v1 = v1, v2 = v2}, WorkerTask) end
function WorkerTask:run(packet)
  if packet == nil then return self.scheduler:suspendCurrent() end
  if self.v1 == ID_HANDLER_A then self.v1 = ID_HANDLER_B else self.v1 = ID_HANDLER_A end
  packet.id = self.v1
  packet.a1 = 0
  for i = 1, DATA_SIZE do
    self.v2 = self.v2 + 1
    if self.v2 > 26 then self.v2 = 1 end
    packet.a2[i] = self.v2
  end
  return self.scheduler:queue(packet)
end

local HandlerTask = {}
HandlerTask.__index = HandlerTask
function HandlerTask.new(scheduler) return setmetatable({scheduler = scheduler, v1 = nil, v2 = nil}, HandlerTask) end
function HandlerTask:run(packet)
  if packet ~= nil then
    if packet.kind == KIND_WORK then self.v1 = packet:addTo(self.v1)
    else self.v2 = packet:addTo(self.v2) end
  end
  if self.v1 ~= nil then
    local count = self.v1.a1
    local v
    if count < DATA_SIZE then
      if self.v2 ~= nil then
        v = self.v2
        self.v2 = self.v2.link
        v.a1 = self.v1.a2[count + 1]
        self.v1.a1 = count + 1
        return self.scheduler:queue(v)
      end
    else
      v = self.v1
      self.v1 = self.v1.link
      return self.scheduler:queue(v)
    end
  end
  return self.scheduler:suspendCurrent()
end

local function runRichards()
  local scheduler = Scheduler.new()
  scheduler:addRunningTask(ID_IDLE, 0, nil, IdleTask.new(scheduler, 1, COUNT))
  local queue = Packet.new(nil, ID_WORKER, KIND_WORK)
  queue = Packet.new(queue, ID_WORKER, KIND_WORK)
  scheduler:addTask(ID_WORKER, 1000, queue, WorkerTask.new(scheduler, ID_HANDLER_A, 0))
  queue = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_A, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_A, KIND_DEVICE)
  scheduler:addTask(ID_HANDLER_A, 2000, queue, HandlerTask.new(scheduler))
  queue = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_B, KIND_DEVICE)
  queue = Packet.new(queue, ID_DEVICE_B, KIND_DEVICE)
  scheduler:addTask(ID_HANDLER_B, 3000, queue, HandlerTask.new(scheduler))
  scheduler:addTask(ID_DEVICE_A, 4000, nil, DeviceTask.new(scheduler))
  scheduler:addTask(ID_DEVICE_B, 5000, nil, DeviceTask.new(scheduler))
  scheduler:schedule()
  return scheduler.queueCount, scheduler.holdCount
end

local iterations = tonumber(arg and arg[1]) or 250
local qc, hc
for i = 1, iterations do qc, hc = runRichards() end
print(string.format("queue count %d, hold count %d, %s", qc, hc,
  (qc == EXPECTED_QUEUE_COUNT and hc == EXPECTED_HOLD_COUNT) and "as expected" or "UNEXPECTED"))
