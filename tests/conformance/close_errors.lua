-- <close> with errors: the error object is passed to __close, every
-- pending variable is closed, an error inside __close replaces the
-- original one, closing during pcall, and closing across coroutines.
local log = {}
local function c(name, fail)
  return setmetatable({}, {__close = function(_, e)
    log[#log + 1] = name .. "(" .. (type(e) == "table" and "table" or tostring(e)) .. ")"
    if fail then error(fail, 0) end
  end})
end
local function flush(label, ...) print(label, table.concat(log, " "), ...) log = {} end
flush("plain", pcall(function()
  local a <close> = c("a")
  local b <close> = c("b")
  error("boom", 0)
end))
flush("table err", pcall(function()
  local a <close> = c("a")
  error({code = 1})
end) == false)
flush("close error replaces", pcall(function()
  local a <close> = c("a")
  local b <close> = c("b", "from b")
  error("original", 0)
end))
flush("both fail", pcall(function()
  local a <close> = c("a", "from a")
  local b <close> = c("b", "from b")
  error("original", 0)
end))
flush("close fails normally", pcall(function()
  local a <close> = c("a")
  local b <close> = c("b", "b failed")
  return "never"
end))
-- error values of any type reach __close
for _, v in ipairs({42, true, "s"}) do
  flush("value " .. tostring(v), pcall(function()
    local x <close> = c("x")
    error(v, 0)
  end))
end
flush("nil error", pcall(function()
  local x <close> = c("x")
  error(nil)
end))
-- runtime errors, with positions
flush("runtime", pcall(function()
  local x <close> = c("x")
  local t = nil
  return t.field
end))
-- error object seen by __close includes position information
flush("with position", pcall(function()
  local x <close> = c("x")
  error("positioned")
end))
-- nested pcalls: inner closes first
flush("nested", pcall(function()
  local outer <close> = c("outer")
  local ok, e = pcall(function()
    local inner <close> = c("inner")
    error("inner error", 0)
  end)
  log[#log + 1] = "caught:" .. e
  error("outer error", 0)
end))
-- coroutine.close closes pending variables of a suspended coroutine
local co = coroutine.create(function()
  local a <close> = c("co-a")
  local b <close> = c("co-b")
  coroutine.yield("suspended")
end)
print(coroutine.resume(co))
flush("coroutine.close", coroutine.close(co), coroutine.status(co))
-- an error inside a coroutine does not unwind it: its variables are closed
-- by coroutine.close, which gets the error object
local co2 = coroutine.create(function()
  local a <close> = c("co2-a")
  error("co2 failed", 0)
end)
flush("coroutine error", coroutine.resume(co2))
flush("close after error", coroutine.status(co2), coroutine.close(co2))
-- coroutine.close with a failing __close returns false and the error
local co3 = coroutine.create(function()
  local a <close> = c("co3-a", "close failed")
  coroutine.yield()
end)
coroutine.resume(co3)
flush("coroutine.close error", coroutine.close(co3))
