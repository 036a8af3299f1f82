-- sieve: the sieve of Eratosthenes over a boolean array, repeated;
-- measures array stores/loads and numeric loops with steps.
local N = tonumber(arg and arg[1]) or 2000000
local count, last
for r = 1, 6 do
  local composite = {}
  for i = 2, N do composite[i] = false end
  local i = 2
  while i * i <= N do
    if not composite[i] then
      for j = i * i, N, i do composite[j] = true end
    end
    i = i + 1
  end
  count = 0
  for k = 2, N do if not composite[k] then count = count + 1 last = k end end
end
print(string.format("primes below %d: %d, largest %d", N, count, last))
