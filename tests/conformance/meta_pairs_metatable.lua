-- __pairs (custom iteration, returning three values), __metatable
-- protecting getmetatable/setmetatable, setmetatable argument errors,
-- getmetatable of strings and other types.
local store = {c = 3, a = 1, b = 2}
local ordered = setmetatable({}, {__pairs = function(t)
  local keys = {}
  for k in pairs(store) do keys[#keys + 1] = k end
  table.sort(keys)
  local i = 0
  return function(_, _)
    i = i + 1
    if keys[i] then return keys[i], store[keys[i]] end
  end, t, nil
end})
for k, v in pairs(ordered) do io.write(k, "=", v, " ") end
print()
-- __pairs receives the table and may return extra state
local seen = {}
local p2 = setmetatable({}, {__pairs = function(t) return next, {x = 1}, nil end})
for k, v in pairs(p2) do seen[#seen + 1] = k .. v end
print(table.concat(seen))
-- next() ignores __pairs
print(next(ordered))
-- ipairs has no __ipairs in 5.4 (uses __index)
local ip = setmetatable({}, {__ipairs = function() error("not used") end, __index = function(_, i) if i < 4 then return i end end})
for i, v in ipairs(ip) do io.write(i, ":", v, " ") end
print()
-- __metatable
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot))
print(pcall(setmetatable, prot, {}))
print(pcall(setmetatable, prot, nil))
local prot2 = setmetatable({}, {__metatable = false})
print(getmetatable(prot2))
print(pcall(setmetatable, prot2, {}))
-- getmetatable on strings returns the shared string metatable
local smt = getmetatable("")
print(type(smt), smt.__index == string, getmetatable("abc") == smt)
print(getmetatable(1), getmetatable(nil), getmetatable(print), getmetatable({}))
-- setmetatable errors
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(pcall(setmetatable))
print(select("#", setmetatable({}, nil)))
-- setmetatable returns its first argument; removing a metatable
local t = {}
print(setmetatable(t, {}) == t, getmetatable(t) ~= nil, getmetatable(setmetatable(t, nil)))
