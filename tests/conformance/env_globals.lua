-- Globals and _ENV: _G contents, globals as fields of _ENV, local _ENV
-- redirecting global access, setting _ENV to a table with __index, and
-- _VERSION.
print(_VERSION)
print(_G._G == _G, _ENV == _G, type(_G.print))
newglobal = 10
print(_G.newglobal, rawget(_G, "newglobal"))
_G.other = 20
print(other)
do
  local _ENV = {print = print, x = "local env"}
  print(x, newglobal)
  y = 5
  print(y, _ENV.y)
end
print(y)
local function with_env()
  local _ENV = setmetatable({}, {__index = _G})
  z = "in sandbox"
  return z, _G.z
end
print(with_env())
-- a function whose _ENV is an upvalue changed later
local function make()
  local _ENV = {value = 1}
  return function() return value end, function(e) _ENV = e end
end
local get, set = make()
print(get())
set({value = 2})
print(get())
-- globals listed from _G: standard libraries present
local libs = {}
for _, name in ipairs({"string", "table", "math", "io", "os", "coroutine", "utf8"}) do
  libs[#libs + 1] = name .. "=" .. type(_G[name])
end
print(table.concat(libs, " "))
local fns = {}
for _, name in ipairs({"assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load",
  "loadfile", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require",
  "select", "setmetatable", "tonumber", "tostring", "type", "xpcall"}) do
  if type(_G[name]) ~= "function" then fns[#fns + 1] = name end
end
print("missing:", #fns)
-- collectgarbage basic options
print(type(collectgarbage("count")), collectgarbage("step") ~= nil, collectgarbage() == 0)
print(collectgarbage("isrunning"))
-- undefined globals are nil
print(undefined_thing, _G.undefined_thing)
