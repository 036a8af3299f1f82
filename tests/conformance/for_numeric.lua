-- Numeric for: integer loops, float loops (when start or step is a float),
-- negative steps, empty ranges, overflow-safe loops at maxinteger and
-- mininteger, the "'for' step is zero" error, non-number errors, float
-- limits with integer loops, and float accumulation.
local function collect(a, b, c)
  local out = {}
  if c then
    for i = a, b, c do out[#out + 1] = tostring(i) if #out > 12 then break end end
  else
    for i = a, b do out[#out + 1] = tostring(i) if #out > 12 then break end end
  end
  return #out .. ": " .. table.concat(out, " ")
end
print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 10, 3))
print(collect(10, 1, -3))
print(collect(1, 1))
print(collect(1, 0))
print(collect(1.0, 3))
print(collect(1, 3, 0.5))
print(collect(0.1, 0.5, 0.1))
print(collect(1, 2.5))
print(collect(1, 2.9999))
print(collect(-1, -3.5, -1))
print(collect(3, 1.5, -1))
print(collect(1, math.huge, 2^60))
print(collect(1, -math.huge))
print(collect(math.maxinteger - 2, math.maxinteger))
print(collect(math.mininteger + 2, math.mininteger, -1))
print(collect(math.maxinteger - 5, math.maxinteger, 4))
print(collect(math.mininteger, math.mininteger + 10, math.maxinteger))
print(collect(0, math.maxinteger, math.maxinteger))
print(collect(math.maxinteger, math.mininteger, math.mininteger))
print(collect(1, 3.7, 1))
print(collect(1, 2^62))
print(collect(1, 0.5))
print(collect(-3, -2.5))
print(collect(2^53, 2^53 + 2))
print(collect(1, 0/0))
print(collect(0/0, 1))
-- the step is zero
print(pcall(collect, 1, 10, 0))
print(pcall(collect, 1.0, 10, 0.0))
print(pcall(collect, 1, 10, -0.0))
-- non-numbers
print(pcall(collect, "a", 2))
print(pcall(collect, 1, {}))
print(pcall(function() for i = 1, nil do end end))
print(pcall(function() for i = nil, 1 do end end))
print(pcall(function() for i = 1, 2, {} do end end))
-- the control variable is a copy: changing it does not change the loop
local iters = 0
for i = 1, 3 do i = i * 10 iters = iters + 1 end
print(iters)
-- the limit is evaluated once
local lim = 3
local seen = {}
for i = 1, lim do lim = 10 seen[#seen + 1] = i end
print(#seen)
-- types of the control variable
for i = 1, 2 do io.write(math.type(i), " ") end
for i = 1.0, 2 do io.write(math.type(i), " ") end
for i = 1, 2, 1.0 do io.write(math.type(i), " ") end
print()
-- float accumulation: 0.1 steps
local count, last = 0, nil
for x = 0, 1, 0.1 do count = count + 1 last = x end
print(count, last)
count = 0
for x = 1, 0, -0.25 do count = count + 1 last = x end
print(count, last)
-- sum of a big integer loop
local s = 0
for i = 1, 1000000 do s = s + i end
print(s)
