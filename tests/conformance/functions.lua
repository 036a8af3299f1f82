-- Functions: declarations (global, local, table fields, methods with ':'),
-- self, multiple returns adjusted in every context, parentheses
-- truncating, argument adjustment (missing → nil, extra dropped), string
-- and table call syntax, and functions as first-class values.
function global_fn(a, b) return a, b end
local function local_fn(...) return select("#", ...) end
local obj = {name = "obj"}
function obj.field(x) return "field " .. tostring(x) end
function obj:method(x) return self.name .. " method " .. tostring(x) end
local nested = {a = {b = {}}}
function nested.a.b.deep() return "deep" end
function nested.a.b:deepm() return self == nested.a.b end
print(global_fn(1), global_fn(1, 2, 3))
print(local_fn(), local_fn(nil), local_fn(1, 2))
print(obj.field(1), obj:method(2), obj.method(obj, 3), obj.method({name = "other"}, 4))
print(nested.a.b.deep(), nested.a.b:deepm())
-- call syntax sugar
print(local_fn"str", local_fn{1, 2}, type{}, ("x"):rep(2), #tostring{} > 0)
local function id(...) return ... end
print(id"a", id[[long]], id{1}[1])
-- multiple results in different contexts
local function three() return 1, 2, 3 end
local t = {three(), three()}
print(#t, (three()), select("#", (three())))
print(three(), "end")
print("start", three())
local a, b, c, d = three()
print(a, b, c, d)
print(math.max(three()), string.format("%d%d%d", three()))
-- return with parentheses
local function paren() return (three()) end
print(paren())
-- recursive anonymous function through a local
local function fact(n) return n <= 1 and 1 or n * fact(n - 1) end
print(fact(10))
-- functions stored in tables and called through expressions
local ops = {add = function(x, y) return x + y end, ["sub"] = function(x, y) return x - y end}
print(ops.add(2, 3), ops["sub"](5, 1), (ops.add)(1, 1))
-- higher order functions
local function map(f, list) local out = {} for i, v in ipairs(list) do out[i] = f(v) end return out end
local function compose(f, g) return function(...) return f(g(...)) end end
print(table.concat(map(compose(tostring, function(v) return v * v end), {1, 2, 3}), ","))
-- functions with many parameters and missing arguments
local function many(p1, p2, p3, p4, p5, p6, p7, p8) return p1, p8 end
print(many(1), many(1, 2, 3, 4, 5, 6, 7, 8, 9))
-- global function redefinition
function global_fn() return "redefined" end
print(global_fn())
-- method on a string through a variable
local m = "upper"
print(("abc")[m]("abc"), string[m]("x"))
-- a function with 200 locals
local src = {"local s = 0"}
for i = 1, 190 do src[#src + 1] = ("local v%d = %d s = s + v%d"):format(i, i, i) end
src[#src + 1] = "return s"
print(load(table.concat(src, "\n"))())
-- too many locals is a compile error
local src2 = {}
for i = 1, 201 do src2[#src2 + 1] = ("local v%d = %d"):format(i, i) end
print(select(2, load(table.concat(src2, "\n"), "=many")))
