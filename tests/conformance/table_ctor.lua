-- Table constructors: positional, [k]= and name= fields, mixed order,
-- trailing separators, multiple results expanded only in the last
-- position, evaluation order (keys never collide: that order is undefined), nested tables, # on proper sequences, float keys normalised.
local function f() return 1, 2, 3 end
local function none() end
local function dump(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    out[#out + 1] = tostring(k) .. "=" .. (type(v) == "table" and "{" .. dump(v) .. "}" or tostring(v))
  end
  return table.concat(out, " ")
end
print(dump({1, 2, 3}), #{1, 2, 3})
print(dump({f()}), #{f()})
print(dump({f(), f()}), #{f(), f()})
print(dump({(f())}), #{(f())})
print(dump({f(), 10}), #{f(), 10})
print(dump({none()}), #{none()})
print(dump({none(), 5}), #{none(), 5})
print(dump({x = 1, y = 2, 3, 4}))
print(dump({[3] = "a", [4] = "b", "c"}))
print(dump({"c", [0] = "a"}))
print(dump({1, 2, 3,}), dump({1; 2; 3;}), dump({1, 2; 3}))
print(dump({["a b"] = 1, [10] = 2, [2.0] = 3, [-1] = 4, [true] = 5}))
print(dump({{1, 2}, {a = {b = {c = 1}}}}))
print(dump({...}), select("#", ...))
local n = 0
local function nxt() n = n + 1 return n end
print(dump({nxt(), nxt(), [nxt() * 10] = nxt(), nxt()}))
print(#{}, #{nil}, #{1, 2, 3, nil}, #{n = 3})
local t = {}
for i = 1, 100 do t[i] = i * i end
print(#t, t[100], t[101])
t[#t + 1] = "last"
print(#t, t[#t])
t[#t] = nil
print(#t)
-- building with table.insert vs index
local a, b = {}, {}
for i = 1, 50 do a[#a + 1] = i; table.insert(b, i) end
print(#a, #b, a[50] == b[50])
-- the length of a string-keyed table is 0
print(#{a = 1, b = 2})
-- constructors with varargs in the middle and end
local function g(...) return {..., "end"}, {"start", ...} end
local x, y = g(1, 2, 3)
print(dump(x), dump(y))
-- large constructor (more than 50 items, flushes in batches)
local big = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,
  26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,
  52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70, f()}
print(#big, big[51], big[73])
