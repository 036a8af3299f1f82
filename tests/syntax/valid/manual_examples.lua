-- Code examples from the Lua 5.4 reference manual, reconstructed and made
-- into one chunk (each section in its own block where names would clash).

-- 2.1 / 3.1: the five equivalent string literals
do
  local a1 = 'alo\n123"'
  local a2 = "alo\n123\""
  local a3 = '\97lo\10\04923"'
  local a4 = [[alo
123"]]
  local a5 = [==[
alo
123"]==]
  assert(a1 == a2 and a2 == a3 and a3 == a4 and a4 == a5)
end

-- 3.1: numeric constants
do
  local ints = { 3, 345, 0xff, 0xBEBADA }
  local floats = { 3.0, 3.1416, 314.16e-2, 0.31416E1, 34e1,
                   0x0.1E, 0xA23p-4, 0X1.921FB54442D18P+1 }
  assert(#ints == 4 and #floats == 8)
end

-- 3.1: comments
--[[ a long comment
     spanning lines ]]
--[==[ a long comment with ]] inside ]==]

-- 3.3.1: blocks and the empty statement
;;; do ; end ;
do local a = 1 ; local b = 2 ; end

-- 3.3.3: assignment
do
  local a = {}
  local i = 3
  i, a[i] = i+1, 20
  assert(a[3] == 20 and a[4] == nil)
  local x, y = 1, 2
  x, y = y, x
  assert(x == 2 and y == 1)
  a.x, a.y, a.z = 1, 2
end

-- 3.3.4: control structures and goto
do
  local n = 0
  while n < 10 do n = n + 1 end
  repeat n = n - 1 until n <= 0
  if n == 0 then n = 1 elseif n < 0 then n = 2 else n = 3 end
  for i = 1, 3 do
    for j = 1, 3 do
      if j == 2 then goto continue end
      n = n + i * j
      ::continue::
    end
  end
  while true do
    if n > 100 then break end
    n = n + 1
  end
  do goto done end
  n = -1
  ::done::
end

-- 3.3.5: for statements
do
  local sum = 0
  for v = 1, 10, 2 do sum = sum + v end
  for v = 10, 1, -1 do sum = sum + v end
  for v = 1.0, 2.0, 0.25 do sum = sum + v end
  local t = { 10, 20, 30 }
  for i, v in ipairs(t) do sum = sum + i * v end
  for k, v in pairs({ a = 1, b = 2 }) do sum = sum + v end
  for k, v, extra in next, t, nil do sum = sum + v end
end

-- 3.3.8: to-be-closed variables
do
  local closed = false
  do
    local x <close> = setmetatable({}, { __close = function() closed = true end })
    local y <const> = 42
    local z <close> = nil
  end
  assert(closed)
end

-- 3.4.5: logical operators
do
  local r = {
    10 or 20, 10 or error(), nil or "a", nil and 10,
    false and error(), false and nil, false or nil, 10 and 20,
  }
end

-- 3.4.9: table constructors
do
  local function f(x) return x end
  local function g(x) return x end
  local x = 1
  local a = { [f(1)] = g; "x", "y"; x = 1, f(x), [30] = 23; 45 }
  local b = { f(x), g(x), }
  local c = { f(x); g(x); }
  local d = {}
  local e = { { { {} } }, { nested = { deeper = { true } } } }
end

-- 3.4.10: function calls
do
  local function f(...) return ... end
  local s = f"string"
  local t = f{ fields = 1 }
  local u = f[[long
string]]
  local o = { m = function(self, v) return v end }
  local v = o:m(1) + o:m"2" + #o:m{}
  local function g(x) return (f(x)) end
  local function h(x) return 2 * f(x) end
  local function k(x) return x, f(x) end
  local function m(x) f(x); return end
  local function n(x) return x or f(x) end
  local function p(x) return f(x) and f(x) end
end

-- 3.4.11: function definitions
do
  local t = { a = { b = { c = {} } } }
  function t.a.b.c.f(a, b) return a + b end
  function t.a.b.c:g(x) return self, x end
  t.a.b.c.h = function(self, x) return x end
  local function fact(n) if n <= 1 then return 1 else return n * fact(n - 1) end end
  local function f(a, b) end
  local function g(a, b, ...) return ... end
  local function r() return 1, 2, 3 end
  f(3); f(3, 4); f(3, 4, 5); f(r(), 10); f(r())
  g(3); g(3, 4); g(3, 4, 5, 8); g(5, r())
  local count = select('#', g(1, nil, nil))
  local packed = table.pack(g(1, 2, 3))
end

-- 3.5: visibility rules
x = 10                -- global variable
do                    -- new block
  local x = x         -- new 'x', with value 10
  print(x)            --> 10
  x = x+1
  do                  -- another block
    local x = x+1     -- another 'x'
    print(x)          --> 12
  end
  print(x)            --> 11
end
print(x)              --> 10  (the global one)

do
  local a = {}
  local x = 20
  for i = 1, 10 do
    local y = 0
    a[i] = function () y = y + 1; return x + y end
  end
end

-- 2.6: coroutines
function foo (a)
  print("foo", a)
  return coroutine.yield(2*a)
end

co = coroutine.create(function (a,b)
      print("co-body", a, b)
      local r = foo(a+1)
      print("co-body", r)
      local r, s = coroutine.yield(a+b, a-b)
      print("co-body", r, s)
      return b, "end"
end)

print("main", coroutine.resume(co, 1, 10))
print("main", coroutine.resume(co, "r"))
print("main", coroutine.resume(co, "x", "y"))
print("main", coroutine.resume(co, "x", "y"))

-- 6.4.1: string.gsub and string.gmatch
do
  local x
  x = string.gsub("hello world", "(%w+)", "%1 %1")
  x = string.gsub("hello world", "%w+", "%0 %0", 1)
  x = string.gsub("hello world from Lua", "(%w+)%s*(%w+)", "%2 %1")
  x = string.gsub("home = $HOME, user = $USER", "%$(%w+)", os.getenv)
  x = string.gsub("4+5 = $return 4+5$", "%$(.-)%$", function (s)
        return load(s)()
      end)
  local t = {name="lua", version="5.4"}
  x = string.gsub("$name-$version.tar.gz", "%$(%w+)", t)

  local s = "hello world from Lua"
  for w in string.gmatch(s, "%a+") do
    print(w)
  end
  t = {}
  s = "from=world, to=Lua"
  for k, v in string.gmatch(s, "(%w+)=(%w+)") do
    t[k] = v
  end
end

-- 6.1 / 6.2: load with a reader function, pcall, error objects
do
  local parts = { "return ", "1 + ", "2" }
  local i = 0
  local f = load(function() i = i + 1; return parts[i] end)
  local ok, err = pcall(error, { code = 42 })
  local ok2, msg = xpcall(function() error("boom", 2) end, debug.traceback)
end

-- 3.4.1 to 3.4.8: every operator, in the precedence order of 3.4.8
do
  local a, b, c = 7, 3, 2
  local r = a or b and c < a | b ~ c & a << b .. c + a * b ^ c
  r = not a == b
  r = -a ^ 2
  r = 2 ^ -3 ^ 2
  r = a // b + a % b - a / b
  r = ~a ~ b & c | a >> 1 << 2
  r = #"abc" + #{ 1, 2 }
  r = a ~= b and a <= b or a >= b and a > b
  r = "a" .. "b" .. "c" .. 1 .. 2
  r = 1e10 // 3 % 2 ^ 0.5
end

-- integer and float division, bitwise on integers
print(7 // 2, 7.0 // 2, 7 % -3, -7 % 3, 3 & 5, 3 | 5, 3 ~ 5, ~0, 1 << 62, 1 >> 1)
print(math.maxinteger + 1 == math.mininteger, 0x7fffffffffffffff, 0xffffffffffffffff)
