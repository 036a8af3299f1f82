-- loops: nested numeric for loops with arithmetic, comparisons and a
-- conditional; measures the dispatch loop on the simplest opcodes.
local n = tonumber(arg and arg[1]) or 7000
local sum, count = 0, 0
for i = 1, n do
  for j = 1, n do
    local x = i * j + (i - j)
    if x % 7 == 3 then count = count + 1 end
    sum = (sum + x) % 1000000007
  end
end
local f = 0.0
for i = 1, n * 100 do f = f + i * 0.5 end
print(string.format("sum=%d count=%d f=%.1f", sum, count, f))
