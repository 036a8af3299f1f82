-- closures: creating closures in a loop (each capturing fresh upvalues),
-- calling them, and updating shared upvalues; measures closure
-- allocation, upvalue access and indirect calls.
local N = tonumber(arg and arg[1]) or 8000000
local function make_adder(k) return function(x) return x + k end end
local function make_counter()
  local c = 0
  return function() c = c + 1 return c end, function() return c end
end
local total = 0
for i = 1, N do
  local add = make_adder(i % 100)
  total = total + add(1)
end
local inc, get = make_counter()
for i = 1, N do inc() end
local fs = {}
for i = 1, 100 do fs[i] = make_adder(i) end
local acc = 0
for r = 1, N / 100 do
  for i = 1, 100 do acc = fs[i](acc) % 1000003 end
end
local function compose(f, g) return function(x) return f(g(x)) end end
local h = compose(make_adder(1), make_adder(2))
local hs = 0
for i = 1, N / 2 do hs = h(hs) % 1000 end
print(string.format("total=%d count=%d acc=%d hs=%d", total, get(), acc, hs))
