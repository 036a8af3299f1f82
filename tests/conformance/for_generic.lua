-- Generic for: pairs over arrays (in order) and over hashes (printed
-- sorted), ipairs stopping at the first nil, stateless iterators with
-- explicit state and control values, closures as iterators, the 4th value
-- (closing value) of the 5.4 generic for, and iterator errors.
local arr = {"a", "b", "c", nil, "e"}
for i, v in ipairs(arr) do io.write(i, v, " ") end
print()
local seq = {10, 20, 30}
for k, v in pairs(seq) do io.write(k, "=", v, " ") end
print()
local h = {x = 1, y = 2, z = 3, [1] = "one", [2] = "two"}
local keys = {}
for k in pairs(h) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
-- a stateless iterator
local function iter(t, i)
  i = i + 1
  if t[i] then return i, t[i] end
end
for i, v in iter, {"p", "q", "r"}, 0 do io.write(i, v, " ") end
print()
-- range iterator with closures
local function range(n, step)
  step = step or 1
  local i = 0
  return function()
    i = i + step
    if i <= n then return i end
  end
end
local s = 0
for i in range(100) do s = s + i end
print(s)
for i in range(10, 3) do io.write(i, " ") end
print()
-- iterator returning multiple values; extra variables are nil
for a, b, c, d in function(_, ctl) if ctl == nil then return 1, 2, 3 end end do
  print(a, b, c, d)
end
-- the control variable is the first value
local visits = {}
for k, v in next, {5, 6, 7} do visits[#visits + 1] = k .. ":" .. v end
table.sort(visits)
print(table.concat(visits, " "))
-- modifying existing fields during traversal is allowed
local m = {a = 1, b = 2, c = 3}
for k, v in pairs(m) do m[k] = v * 10 end
print(m.a, m.b, m.c)
-- clearing fields during traversal is allowed
for k in pairs(m) do m[k] = nil end
print(next(m))
-- the closing value (4th) is closed when the loop ends, breaks or errors
local function closer(name)
  return setmetatable({}, {__close = function(_, err) print("close", name, err) end})
end
local function counted(n, name)
  local i = 0
  return function() i = i + 1 if i <= n then return i end end, nil, nil, closer(name)
end
for i in counted(2, "normal") do io.write(i, " ") end
print()
for i in counted(5, "break") do if i == 2 then break end end
print(pcall(function() for i in counted(5, "error") do if i == 3 then error("stop") end end end))
local function early()
  for i in counted(5, "return") do if i == 1 then return "returned" end end
end
print(early())
-- errors
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(function() for i in 5 do end end))
print(pcall(function() local t = {} for i in t do end end))
print(pcall(function() for i, v in ipairs() do end end))
print(pcall(function() for k, v in pairs() do end end))
-- ipairs respects __index
local proxy = setmetatable({}, {__index = {"x", "y"}})
for i, v in ipairs(proxy) do io.write(i, v, " ") end
print()
-- nested generic loops over the same table
local grid = {{1, 2}, {3, 4}}
local total = 0
for _, row in ipairs(grid) do for _, v in ipairs(row) do total = total + v end end
print(total)
-- string iteration with gmatch and indices
for i, c in ("abc"):gmatch("()(.)") do io.write(i, c, " ") end
print()
