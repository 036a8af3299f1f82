-- Deep non-tail recursion: 150,000 Lua frames deep must work (sum, list
-- building, a recursive descent over a deep nested table), and unbounded
-- recursion raises a catchable "stack overflow" error.
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
print(sum(150000))
local function depth(t) if t == nil then return 0 end return 1 + depth(t.next) end
local list = nil
for i = 1, 150000 do list = {next = list} end
print(depth(list))
local function build(n) if n == 0 then return {} end local t = build(n - 1) t[#t + 1] = n return t end
local built = build(20000)
print(#built, built[1], built[20000])
-- deep recursion through pcall boundaries
local function pdeep(n) if n == 0 then return "bottom" end local ok, v = pcall(pdeep, n - 1) return v end
print(pdeep(150))
-- infinite recursion is an error, not a crash
local function inf(n) return 1 + inf(n + 1) end
local ok, err = pcall(inf, 1)
print(ok, (string.gsub(err, "^.-:%d+: ", "")))
-- the program continues normally afterwards
print(sum(1000))
-- recursion through metamethods
local mt = {}
mt.__index = function(t, k) if k <= 0 then return 0 end return t[k - 1] + 1 end
local counter = setmetatable({}, mt)
print(counter[150])
