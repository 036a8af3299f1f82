-- table.sort errors: comparing incomparable values, bad comparator
-- argument, "invalid order function for sorting" from an inconsistent
-- comparator, errors raised inside the comparator, "array too big".
-- which operand comes first depends on the algorithm: normalise it
local function norm(ok, err)
  return ok, (tostring(err):gsub("compare (%a+) with (%a+)", function(a, b)
    if a > b then a, b = b, a end
    return "compare " .. a .. " with " .. b
  end))
end
print(norm(pcall(table.sort, {3, 1, "x"})))
print(norm(pcall(table.sort, {1, "x"})))
print(pcall(table.sort, {{}, {}}))
print(norm(pcall(table.sort, {1, 2, false, 4})))
print(pcall(table.sort, {1, 2}, 3))
print(pcall(table.sort, nil))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp failed") end))
local ok, err = pcall(table.sort, {3, 2, 1}, function(a, b) error({code = 7}) end)
print(type(err), err.code)
-- an always-true comparator makes the partition run off the array
local t = {}
for i = 1, 100 do t[i] = 1 end
print(pcall(table.sort, t, function(a, b) return true end))
local u = {}
for i = 1, 100 do u[i] = i % 7 end
print(pcall(table.sort, u, function(a, b) return a <= b end))
print(pcall(table.sort, setmetatable({}, {__len = function() return math.maxinteger end})))
-- the error position comes from the comparator
print(pcall(table.sort, {1, 2, 3}, function(a, b) return a.x < b end))
