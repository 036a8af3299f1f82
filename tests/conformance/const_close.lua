-- <const> and <close> attributes: const locals (and compile errors when
-- assigned), close variables closed in reverse order at block exit, nil
-- and false allowed as close values, non-closable values rejected, and
-- the unknown-attribute error.
local K <const> = 10
local S <const> = "str"
print(K * 2, S .. "!")
local function f() return K + 1 end
print(f())
for _, src in ipairs({
  "local x <const> = 1; x = 2",
  "local x <const> = 1; local function g() x = 3 end",
  "local a, b <const> = 1, 2; b = 3",
  "local x <foo> = 1",
  "local x <close>, y <close> = 1, 2",
  "local x <const>",
}) do
  local fn, err = load(src, "=attr")
  print(fn and "compiled" or err)
end
local log = {}
local function closable(name)
  return setmetatable({}, {__close = function(self, err)
    log[#log + 1] = name .. (err and ("(" .. tostring(err) .. ")") or "")
  end})
end
do
  local a <close> = closable("a")
  local b <close> = closable("b")
  local c <close> = closable("c")
  log[#log + 1] = "body"
end
print(table.concat(log, " ")); log = {}
-- nil and false are allowed
do
  local n <close> = nil
  local f2 <close> = false
  log[#log + 1] = "ok"
end
print(table.concat(log, " ")); log = {}
-- a value without __close is an error at the declaration
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))
print(pcall(function() local x <close> = setmetatable({}, {__index = {__close = print}}) end))
-- close variables are const
print(select(2, load("local x <close> = nil; x = 1", "=c")))
-- the __close metamethod is looked up at declaration time
local mt = {__close = function() log[#log + 1] = "original" end}
do
  local x <close> = setmetatable({}, mt)
  mt.__close = function() log[#log + 1] = "replaced" end
end
print(table.concat(log, " ")); log = {}
-- __close receives the object itself
local obj = setmetatable({id = 7}, {__close = function(o) log[#log + 1] = "id" .. o.id end})
do local c <close> = obj end
print(table.concat(log, " ")); log = {}
-- close in a function that returns values: values computed before closing
local function ret()
  local r <close> = closable("r")
  log[#log + 1] = "returning"
  return "value", #log
end
print(ret())
print(table.concat(log, " ")); log = {}
