-- Classic Lua test-suite style: many assert() checks across the
-- language (strings, numbers, tables, closures, metatables, coroutines,
-- errors), printing one line per section and "OK" at the end; a failing
-- assert would end the program with an uncaught error.
local function section(name) io.write(name, " ") end
section("numbers")
assert(1 // 1 == 1 and math.type(1 // 1) == "integer")
assert(3 % -2 == -1 and -3 % 2 == 1 and 3.0 % -2 == -1.0)
assert(math.maxinteger + 1 == math.mininteger)
assert(2^53 == 2^53 + 1 and (1 << 53) + 1 ~= 1 << 53)
assert(tostring(1e15) == "1e+15" and tostring(-0.0) == "-0.0")
assert(tonumber("0x10") == 16 and tonumber("10", 36) == 36 and tonumber("1e1") == 10.0)
assert(8 // 0.0 == math.huge and -8 // 0.0 == -math.huge)
assert(not pcall(function() return 1 // 0 end))
assert(math.tointeger(3.0) == 3 and math.tointeger(3.5) == nil)
assert(1 < 1.5 and 1.5 < 2 and math.maxinteger < 2^63 and math.mininteger == -2^63)
section("strings")
assert(#"\0\0\0" == 3 and ("\65\066"):byte(2) == 66)
assert(("abc"):rep(2, "-") == "abc-abc" and ("abc"):sub(-2) == "bc")
assert(("hello world"):find("o w", 1, true) == 5)
assert(select(2, ("aaa"):gsub("a", "b")) == 3)
assert(("%d %s"):format(1, "x") == "1 x")
assert(("x"):rep(0) == "" and ("abc"):upper() == "ABC")
assert("a" .. 1 .. 2.0 == "a12.0")
assert(("key=val"):match("(%w+)=(%w+)") == "key")
assert(string.pack("<i2", 258) == "\2\1")
section("tables")
local t = {10, 20, 30, nil}
assert(#t == 3)
table.insert(t, 1, 5)
assert(t[1] == 5 and t[4] == 30 and #t == 4)
assert(table.remove(t) == 30 and #t == 3)
assert(table.concat({1, 2, 3}, "+") == "1+2+3")
local u = table.pack(1, nil, 3)
assert(u.n == 3 and select("#", table.unpack(u, 1, u.n)) == 3)
local s = {5, 2, 9, 1}
table.sort(s, function(a, b) return a > b end)
assert(s[1] == 9 and s[4] == 1)
assert(next({}) == nil and rawlen({1, 2}) == 2)
section("closures")
local function counter() local c = 0 return function() c = c + 1 return c end end
local c1, c2 = counter(), counter()
assert(c1() == 1 and c1() == 2 and c2() == 1)
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
assert(fs[1]() == 1 and fs[3]() == 3)
section("metatables")
local mt = {__index = function(_, k) return k * 2 end, __call = function(self, x) return x + 1 end,
  __len = function() return 7 end, __unm = function() return "neg" end, __concat = function() return "cat" end}
local o = setmetatable({}, mt)
assert(o[21] == 42 and o(1) == 2 and #o == 7 and -o == "neg" and o .. "x" == "cat")
assert(rawget(o, 21) == nil and getmetatable(o) == mt)
local prot = setmetatable({}, {__metatable = "no"})
assert(getmetatable(prot) == "no" and not pcall(setmetatable, prot, {}))
section("varargs")
local function v(...) return select("#", ...), ... end
assert(v() == 0 and v(nil, nil) == 2 and select(-1, 1, 2, 3) == 3)
assert(select(2, v(7)) == 7)
section("coroutines")
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
assert(co(1) == 2 and co(10) == 20)
local cc = coroutine.create(function() coroutine.yield() end)
coroutine.resume(cc)
assert(coroutine.status(cc) == "suspended" and coroutine.close(cc) and coroutine.status(cc) == "dead")
assert(not coroutine.isyieldable() and select(2, coroutine.running()) == true)
section("errors")
local ok, e = pcall(error, {code = 1})
assert(not ok and e.code == 1)
ok, e = pcall(error, "m", 0)
assert(e == "m")
ok, e = pcall(function() local x = nil; return x.f end)
assert(not ok and e:find("attempt to index a nil value", 1, true))
assert(select("#", pcall(error)) == 2)
section("goto")
local n = 0
::again:: n = n + 1
if n < 10 then goto again end
assert(n == 10)
section("close")
local closed = false
do local x <close> = setmetatable({}, {__close = function() closed = true end}) end
assert(closed)
print()
print("OK")
