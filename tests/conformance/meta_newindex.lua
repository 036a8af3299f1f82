-- __newindex: as a function, as a table (redirection), only for absent
-- keys, rawset bypassing it, read-only tables, chains, and interplay with
-- __index for proxies.
local log = {}
local t = setmetatable({existing = 1}, {__newindex = function(tbl, k, v)
  log[#log + 1] = tostring(k) .. "=" .. tostring(v)
  rawset(tbl, k, v)
end})
t.existing = 2        -- present: no metamethod
t.new = 3             -- absent: metamethod
t.new = 4             -- now present
t[1] = "one"
t.existing = nil
t.existing = 5        -- absent again
print(table.concat(log, " "), t.existing, t.new, t[1])
-- redirection to another table
local store = {}
local redirect = setmetatable({}, {__newindex = store})
redirect.a = 1
redirect.b = 2
print(rawget(redirect, "a"), store.a, store.b)
-- chain: __newindex table that itself has __newindex
local final = {}
local middle = setmetatable({}, {__newindex = final})
local front = setmetatable({}, {__newindex = middle})
front.x = "deep"
print(rawget(front, "x"), rawget(middle, "x"), final.x)
-- read-only proxy
local function readonly(tbl)
  return setmetatable({}, {
    __index = tbl,
    __newindex = function(_, k) error("attempt to update a read-only table (key " .. tostring(k) .. ")", 2) end,
    __len = function() return #tbl end,
  })
end
local days = readonly({"mon", "tue", "wed"})
print(days[2], #days)
print(pcall(function() days[4] = "thu" end))
print(pcall(function() days.x = 1 end))
-- rawset bypasses
rawset(days, "x", 1)
print(rawget(days, "x"))
-- tracking proxy with both events
local function track(tbl)
  local events = {}
  local proxy = setmetatable({}, {
    __index = function(_, k) events[#events + 1] = "get " .. tostring(k) return tbl[k] end,
    __newindex = function(_, k, v) events[#events + 1] = "set " .. tostring(k) tbl[k] = v end,
  })
  return proxy, events
end
local p, ev = track({a = 1})
p.b = p.a + 1
p.a = p.b * 10
print(p.a, p.b, table.concat(ev, ", "))
-- __newindex with numeric keys and float normalisation
local keys = {}
local nk = setmetatable({}, {__newindex = function(_, k, v) keys[#keys + 1] = math.type(k) .. ":" .. tostring(k) end})
nk[1] = true; nk[2.0] = true; nk[2.5] = true; nk[-0.0] = true
print(table.concat(keys, " "))
-- assigning nil to an absent key still calls __newindex
local nilcount = 0
local nn = setmetatable({}, {__newindex = function() nilcount = nilcount + 1 end})
nn.a = nil
print(nilcount)
-- errors inside __newindex propagate
print(pcall(function() setmetatable({}, {__newindex = function() error("nope") end}).x = 1 end))
print(pcall(function() setmetatable({}, {__newindex = 42}).x = 1 end))
