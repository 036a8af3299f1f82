-- Runtime error messages naming the culprit: indexing and calling nil
-- values held in locals, globals, fields, upvalues, methods and
-- constants; indexing non-table values; all read from pcall.
local function e(f) local ok, err = pcall(f) print(err) end
e(function() local t; return t.x end)
e(function() local t; t.x = 1 end)
e(function() return undefined_global.x end)
e(function() undefined_global.x = 1 end)
e(function() local a = {}; return a.b.c end)
e(function() local a = {}; a.b.c = 1 end)
e(function() local a = {b = {}}; return a.b.c.d end)
local up = nil
e(function() return up.z end)
e(function() up.z = 1 end)
e(function() return up[1] end)
e(function() local s = 5; return s.x end)
e(function() local b = true; return b.x end)
e(function() local f = print; return f.x end)
e(function() return ("str").x.y end)
e(function() return math.nope.x end)
e(function() local n = 1; n.x = 2 end)
-- calls
e(function() undefined_fn() end)
e(function() local f; f() end)
e(function() local t = {}; t.method() end)
e(function() local t = {}; t:method() end)
e(function() local t = {inner = {}}; t.inner.fn() end)
e(function() local t = {inner = {}}; t.inner:fn() end)
e(function() up() end)
e(function() local x = 1; x() end)
e(function() ("str")() end)
e(function() string.nope() end)
e(function() (nil)() end)
e(function() return (1)() end)
e(function() local t = setmetatable({}, {__index = function() return nil end}) t.virtual() end)
-- calling through a returned value has no name
e(function() local function g() return nil end g()() end)
-- global function names in nested tables
e(function() local obj = {child = {}} obj.child.grand.x = 1 end)
-- using the result of a function call
e(function() local function g() end return g().x end)
e(function() local function g() end return #g() end)
-- upvalues that are tables
local config = {}
e(function() return config.section.key end)
e(function() return config["section"]["key"] end)
