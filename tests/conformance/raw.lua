-- rawget, rawset, rawequal, rawlen: bypassing every metamethod, their
-- argument checks, and rawset's errors for nil and NaN keys.
local mt = {
  __index = function() return "from index" end,
  __newindex = function() error("newindex called") end,
  __len = function() return 99 end,
  __eq = function() return true end,
}
local t = setmetatable({1, 2, 3}, mt)
print(t.x, rawget(t, "x"), rawget(t, 1))
print(rawset(t, "x", 10) == t, rawget(t, "x"), t.x)
print(#t, rawlen(t), rawlen("abcd"), rawlen({}))
local u = setmetatable({}, mt)
print(t == u, rawequal(t, u), rawequal(t, t))
print(rawequal(1, 1.0), rawequal("a", "a"), rawequal({}, {}), rawequal(nil, nil), rawequal(0, -0))
print(rawequal(0/0, 0/0), rawequal(1, "1"))
print(pcall(rawget, "str", 1))
print(pcall(rawget, {}))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawset, {}, 0/0, 1))
print(pcall(rawset, {}, "k"))
print(pcall(rawset, 1, 1, 1))
print(pcall(rawlen, 5))
print(pcall(rawequal, 1))
print(pcall(rawequal))
-- rawset with float keys normalises them
local f = {}
rawset(f, 2.0, "two")
print(f[2], math.type(next(f)))
-- rawget with float key
print(rawget({[3] = "three"}, 3.0))
