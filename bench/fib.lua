-- fib: naive doubly recursive Fibonacci; measures Lua-to-Lua call and
-- return overhead and integer arithmetic on small values.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local n = tonumber(arg and arg[1]) or 36
print(string.format("fib(%d) = %d", n, fib(n)))
