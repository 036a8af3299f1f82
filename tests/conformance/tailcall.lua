-- Proper tail calls: a 1,000,000-deep tail recursion, mutual tail
-- recursion, tail calls through varargs and method calls, and tail calls
-- of callable tables; none of them grow the stack.
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(1000000), is_odd(777777))
-- tail call with varargs
local function vloop(n, ...)
  if n == 0 then return select("#", ...), ... end
  return vloop(n - 1, ...)
end
print(vloop(1000000, "a", "b", nil))
-- tail method calls
local obj = {count = 0}
function obj:step(n)
  if n == 0 then return self.count end
  self.count = self.count + 1
  return self:step(n - 1)
end
print(obj:step(1000000))
-- tail call of a callable table
local callable = setmetatable({}, {__call = function(self, n)
  if n == 0 then return "done" end
  return self(n - 1)
end})
print(callable(300000))
-- returning a parenthesised call is not a tail call but still works
local function not_tail(n) if n == 0 then return 1, 2 end return (not_tail(n - 1)) end
print(not_tail(100))
-- a tail call into a C function
local function to_c(s) return string.upper(s) end
print(to_c("tail"))
-- a state machine driven by tail calls
local states = {}
function states.a(n, path) if n == 0 then return path end return states.b(n - 1, path .. "a") end
function states.b(n, path) if n == 0 then return path end return states.c(n - 1, path .. "b") end
function states.c(n, path) if n == 0 then return path end return states.a(n - 1, path .. "c") end
print(states.a(10, ""))
local function long_run(n, k) if n == 0 then return k end return states.a(0, "") == "" and long_run(n - 1, k + 1) end
print(long_run(1000, 0))
