-- More string.gsub corners: number replacements, position captures in
-- templates, tables and functions, %1 with no captures, tables with
-- __index, replacements that are numbers, max-n edge values, embedded
-- zeros everywhere, anchored patterns with max-n 0, a callable table used
-- as a table (indexed, not called), and the errors' argument numbers.
local function g(...)
  local r = table.pack(pcall(string.gsub, ...))
  if r[1] then
    print(string.format("%q", r[2]), r[3])
  else
    print("error", r[2])
  end
end
g("abc", "b", 5)
g("abc", "b", 2.5)
g("abc", "(b)()", "%2")
g("abc", "()(b)()", "[%1|%2|%3]")
g("abc", "%w", "%1%1")
g("abc", "%w", "%0%1")
g("a\0b\0c", "%z", "<0>")
g("a\0b\0c", "\0", "\0\0")
g("a\0b", ".", "%0%0")
g("x\0y", "[%z]", "Z")
g("hello world", "o", "0", math.maxinteger)
g("hello world", "o", "0", math.mininteger)
g("hello world", "o", "0", 2)
g("hello", "^h", "H", 0)
g("hello", "", "-", 3)
g("hello", "l+", {ll = "LL"})
g("hello", "l+", {ll = false})
-- a table with __index decides per match
local upper = setmetatable({}, {__index = function(_, k) return k:upper() end})
g("one two", "%a+", upper)
local lengths = setmetatable({}, {__index = function(_, k) return #k end})
g("one three", "%a+", lengths)
-- a table that is also callable is still indexed
local callable = setmetatable({x = "indexed"}, {__call = function() return "called" end})
g("x y", "%a", callable)
-- position captures as table keys and function arguments
g("abc", "()", {[1] = "one", [3] = "three"})
g("abc", "()(.)", function(p, c) return p .. c end)
-- functions: all captures in order of their opening parenthesis
g("key=value", "((%w+)=(%w+))", function(all, k, v) return v .. "=" .. k .. "(" .. all .. ")" end)
g("abc", "(a)(b)(c)", function(...) return select("#", ...) end)
g("abc", ".", function() end)
g("abc", ".", function() return nil, "ignored" end)
g("abc", ".", function(c) return c:byte() end)
g("abc", ".", function() return 1.5 end)
g("abc", ".", function() return true end)
-- the result when nothing matched is the subject itself
local s = "unchanged"
print(s:gsub("x", "y") == s, select(2, s:gsub("x", "y")))
-- errors raised inside the replacement function come through unchanged
print(pcall(string.gsub, "abc", "b", function() error("from repl") end))
print(type(select(2, pcall(string.gsub, "abc", "b", function() error({code = 7}) end))))
print(select(2, pcall(string.gsub, "abc", "b", function() error({code = 7}) end)).code)
-- argument errors
g("abc", "b", nil)
g("abc", "b", "x", "2")
g("abc", "b", "x", "z")
g("abc", {}, "x")
g(nil, "b", "x")
-- patterns with back references
g("hello  world", "(%s)%1", "_")
g("abba cddc", "(%a)(%a)%2%1", "<%0>")
g("aaa", "(a)%1", "X")
g("x=1, y=22, z=333", "(%w)=(%d+)", "%2=%1")
-- frontier and balance in gsub
g("THE (quick) fox", "%f[%a]%a+", function(w) return w:lower() end)
g("f(a(b)c) g(d)", "%b()", "[]")
g("if x then y end", "%f[%w]%w+%f[%W]", {["then"] = "THEN", ["end"] = "END"})
