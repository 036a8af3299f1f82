-- pcall and error: any error value (strings, tables, nil, numbers,
-- booleans, functions), error levels 0/1/2 changing the position prefix,
-- non-string values never get a position, nested pcall, pcall results,
-- and pcall of non-functions.
local function try(...)
  local r = table.pack(pcall(...))
  for i = 1, r.n do
    local v = r[i]
    r[i] = type(v) == "table" and ("table:" .. tostring(v.msg)) or tostring(v)
  end
  print(table.concat(r, " | ", 1, r.n))
end
try(error, "plain")
try(error, "plain", 0)
try(error, "plain", 1)
try(error, "plain", 2)
try(error, {msg = "table value"})
try(error, nil)
try(error)
try(error, 42)
try(error, 4.5)
try(error, true)
try(error, false)
try(function() error("in function") end)
try(function() error("level 0", 0) end)
try(function() error("level 2", 2) end)
local function lib(x) if type(x) ~= "number" then error("lib wants a number", 2) end return x end
local function user() local v = lib("oops") return v end  -- the error points here
try(user)
local function user_tail() return lib("oops") end  -- a tail call: no caller line
try(user_tail)
local function lvl3() error("three", 3) end
local function lvl3b() lvl3() end
local function lvl3c() lvl3b() end  -- level 3 points here
try(lvl3c)
try(function() error(setmetatable({msg = "with tostring"}, {__tostring = function() return "TS" end})) end)
-- results of a successful pcall
try(function() return 1, nil, 3 end)
try(function() end)
print(select("#", pcall(function() return nil, nil end)))
-- nested pcall
try(function()
  local ok, e = pcall(error, "inner")
  return "outer saw: " .. tostring(ok) .. " " .. e
end)
try(function()
  local ok, e = pcall(error, "inner", 0)
  error("rethrown: " .. e, 0)
end)
-- error with a number message gets no position prefix
try(function() error(12) end)
-- the message of a string error is not converted; numbers stay numbers
local ok, e = pcall(error, 12)
print(math.type(e))
-- pcall of non-functions
try(nil)
try(42)
try({})
try(setmetatable({}, {__call = function(_, a) return "called with " .. a end}), "x")
print(pcall(pcall))
print(pcall(pcall, pcall))
print(pcall(pcall, error, "deep"))
-- error rethrow keeps the same table
local errobj = {msg = "same"}
local ok2, e2 = pcall(function()
  local ok3, e3 = pcall(error, errobj)
  error(e3)
end)
print(ok2, e2 == errobj)
-- runtime errors are strings with positions
try(function() local x = nil; return x.y end)
try(function() return 1 + {} end)
try(function() return #nil end)
-- error in a deeply nested call unwinds everything
local depth = 0
local function dive(n) depth = depth + 1 if n == 0 then error("bottom", 0) end dive(n - 1) end
try(dive, 100)
print(depth)
-- assert-style errors with levels
try(function() error("lvl1", 1) end)
try(function() error("lvl-1", -1) end)
