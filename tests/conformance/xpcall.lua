-- xpcall: message handlers receiving the original error value, handler
-- return value becoming the result, extra arguments passed to the
-- function, errors inside the handler, handlers for runtime errors, and
-- nested xpcall.
local function handler(e) return "handled: " .. tostring(e) end
print(xpcall(function() error("oops") end, handler))
print(xpcall(function() error("oops", 0) end, handler))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(xpcall(function() error() end, function(e) return "got " .. tostring(e) end))
print(xpcall(function(a, b) return a + b end, handler, 3, 4))
print(xpcall(function(...) return select("#", ...) end, handler, nil, nil))
print(xpcall(function() local t; return t.x end, handler))
-- the handler may return several values; only the first is kept
print(xpcall(function() error("multi", 0) end, function(e) return e, "second" end))
-- the handler runs before the stack unwinds: it can inspect upvalues
local state = "running"
print(xpcall(function() state = "failed inside"; error("x", 0) end, function(e) return state end))
-- handler that errors
print(xpcall(function() error("first", 0) end, function(e) error("in handler", 0) end))
-- handler that returns nothing
print(select("#", xpcall(function() error("e", 0) end, function() end)))
-- nested xpcall
print(xpcall(function()
  local ok, e = xpcall(function() error("inner", 0) end, function(m) return "[inner handler] " .. m end)
  error(e .. " -> outer", 0)
end, function(m) return "[outer handler] " .. m end))
-- a handler that adds a traceback-like marker
local function with_where(e) return "E<" .. tostring(e) .. ">" end
print(xpcall(error, with_where, "direct", 0))
-- success never calls the handler
local called = false
print(xpcall(function() return "fine" end, function() called = true end), called)
-- argument errors
print(pcall(xpcall))
print(pcall(xpcall, print))
print(pcall(xpcall, print, nil))
-- handler receives numbers and booleans unchanged
print(xpcall(error, function(e) return math.type(e) end, 12))
print(xpcall(error, function(e) return type(e) end, true))
-- stack overflow inside xpcall is catchable
local function rec() return 1 + rec() end
local ok, msg = xpcall(rec, function(m) return "overflow caught" end)
print(ok, msg)
