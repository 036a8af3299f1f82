-- <close> variables closed on every exit path: normal block end, break,
-- return (before the caller sees values), goto out of the block, loop
-- iterations, nested functions, and in reverse declaration order.
local log = {}
local function c(name)
  return setmetatable({}, {__close = function(_, e) log[#log + 1] = name .. (e ~= nil and "!" .. tostring(e) or "") end})
end
local function flush(label) print(label, table.concat(log, " ")) log = {} end
do local a <close> = c("a") do local b <close> = c("b") end log[#log + 1] = "mid" end
flush("nested")
for i = 1, 3 do
  local x <close> = c("it" .. i)
  if i == 2 then break end
end
flush("break")
for i = 1, 2 do local x <close> = c("loop" .. i) log[#log + 1] = "body" .. i end
flush("loop")
local function r()
  local a <close> = c("ra")
  do
    local b <close> = c("rb")
    return "ret"
  end
end
local rv = r()
log[#log + 1] = rv
flush("return")
do
  local g <close> = c("g1")
  goto out
end
::out::
flush("goto")
do
  local i = 0
  ::again::
  i = i + 1
  do
    local x <close> = c("ga" .. i)
    if i < 3 then goto again end
  end
end
flush("goto-loop")
-- while and repeat
local k = 0
while k < 2 do k = k + 1 local w <close> = c("w" .. k) end
flush("while")
k = 0
repeat k = k + 1 local w <close> = c("rep" .. k) until k == 2
flush("repeat")
-- "return f()" with a pending close variable is not a tail call: f runs
-- first, then the variable is closed
local function callee() log[#log + 1] = "callee" return "tail" end
local function caller()
  local t <close> = c("tc")
  return callee()
end
local cv = caller()
log[#log + 1] = cv
flush("tail")
-- multiple close variables in one function with varargs return
local function multi(...)
  local a <close> = c("m1")
  local b <close> = c("m2")
  return ...
end
local mv = select("#", multi(1, 2, 3))
log[#log + 1] = mv
flush("multi")
-- generic for closing value together with a local close
local function it()
  local n = 0
  return function() n = n + 1 if n <= 2 then return n end end, nil, nil, c("forclose")
end
for i in it() do local inner <close> = c("inner" .. i) end
flush("for")
