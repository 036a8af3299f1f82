-- Closures and upvalues: counters, shared upvalues between closures made
-- in the same scope, upvalues that outlive their frame, nested levels,
-- closures capturing parameters, and recursion through local functions.
local function counter()
  local n = 0
  return function() n = n + 1 return n end, function() return n end, function(v) n = v end
end
local inc, get, set = counter()
inc(); inc()
print(get())
set(100); inc()
print(get())
local inc2, get2 = counter()
inc2()
print(get(), get2())
-- three levels of nesting sharing one variable
local function outer()
  local x = 1
  local function middle()
    local function inner() x = x * 2 return x end
    return inner
  end
  return middle(), function() return x end
end
local dbl, peek = outer()
dbl(); dbl(); dbl()
print(peek())
-- closures capture variables, not values
local fs = {}
local v = 1
fs[1] = function() return v end
v = 2
fs[2] = function() return v end
v = 3
print(fs[1](), fs[2]())
-- parameters are upvalues too
local function adder(a) return function(b) a = a + b return a end end
local add = adder(10)
print(add(1), add(1), adder(0)(5))
-- recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20))
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
-- closures in tables (objects without metatables)
local function makeStack()
  local items = {}
  return {
    push = function(x) items[#items + 1] = x end,
    pop = function() local x = items[#items] items[#items] = nil return x end,
    size = function() return #items end,
  }
end
local s = makeStack()
s.push(1); s.push(2); s.push(3)
print(s.pop(), s.size(), s.pop(), s.pop(), s.pop(), s.size())
-- upvalue shared between a closure and its creator after the creator changed it
local function mk()
  local t = {}
  local val = "before"
  t.get = function() return val end
  val = "after"
  return t
end
print(mk().get())
-- many closures over distinct variables
local list = {}
for i = 1, 5 do
  local sq = i * i
  list[i] = function() sq = sq + 1 return sq end
end
print(list[1](), list[1](), list[3](), list[5]())
-- a closure that returns itself
local function self_ret() return self_ret end
print(self_ret()()() == self_ret)
-- functions are values: equality
local function same() end
print(same == same, (function() end) == (function() end))
