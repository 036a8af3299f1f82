-- Fuzzes the table, math and utf8 libraries with random and boundary
-- arguments: table.sort with lying, raising, yielding and mutating
-- comparators; unpack/move/insert/remove/concat with extreme integers and
-- proxies; utf8 on random byte soup; every math function with every kind of
-- argument.  Errors are expected and caught; the point is that nothing
-- crashes, hangs or trips a sanitizer.  Uses only base, table, math, utf8.
--
--   ./coro tests/fuzz/tablib_fuzz.lua [iterations [seed]]
--   (build/asan/coro for the sanitizer build)

local iterations = tonumber(arg and arg[1]) or 2000
local seed = tonumber(arg and arg[2]) or 20240601
math.randomseed(seed)
local random = math.random
local mi, ma = math.mininteger, math.maxinteger

local ints = {mi, mi + 1, mi + 2, -(1 << 31), -1000, -3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 10,
              1000, (1 << 31) - 1, 1 << 31, 1 << 53, ma - 2, ma - 1, ma}
local function some_int()
  if random(3) == 1 then return random(-20, 20) end
  return ints[random(#ints)]
end

local function some_value(depth)
  local r = random(12)
  if r <= 4 then return some_int()
  elseif r == 5 then return random() * 100 - 50
  elseif r == 6 then return ({0 / 0, 1 / 0, -1 / 0, -0.0, 2 ^ 63, -2 ^ 63, 0.5})[random(7)]
  elseif r == 7 then return ({"", "a", "10", "0x10", "1e2", " 3 ", "x", "\0"})[random(8)]
  elseif r == 8 then return random(2) == 1
  elseif r == 9 then return nil
  elseif r == 10 then return {}
  elseif r == 11 then return select
  else return coroutine.create(select) end
end

local function counted(n)
  -- a callable that runs out after n calls (for comparators and metamethods)
  local calls = 0
  return function() calls = calls + 1 return calls > n end
end

-- A proxy with random metamethods; its length may be anything, even
-- something that is not a number.
local function some_proxy()
  local store = {}
  for i = 1, random(0, 8) do store[i] = some_value() end
  local mt = {}
  if random(4) > 1 then mt.__index = function(_, k) return store[k] end end
  if random(4) > 1 then mt.__newindex = function(_, k, v) store[k] = v end end
  -- the length is fixed per proxy, so the skips below can predict it
  local r = random(6)
  local len = r == 1 and some_int() or some_value()
  if r <= 2 then mt.__len = function() return len end
  elseif r == 3 then mt.__len = function() error("len fails") end
  elseif r <= 5 then mt.__len = function() return #store end end
  return setmetatable({}, mt)
end

local function some_table()
  local r = random(5)
  if r == 1 then return some_proxy() end
  if r == 2 then return some_value() end
  local t = {}
  for i = 1, random(0, 12) do t[i] = some_value() end
  if random(4) == 1 then t[random(0, 14)] = nil end
  return t
end

local function args(n)
  local a = {}
  for i = 1, n do a[i] = random(4) == 1 and some_value() or some_int() end
  return a
end

-- Operations that would loop over a huge range without failing are
-- skipped: they are slow, not wrong (lua5.4 takes as long).
local function len_of(t)
  local ok, n = pcall(function() return #t end)
  if ok and math.type(n) == "integer" then return n end
  return 0
end

local function fuzz_sort()
  local t = some_table()
  local n = len_of(t)
  if n > 2000 and n < (1 << 31) - 1 then return end
  local r = random(7)
  local cmp
  if r == 1 then cmp = nil
  elseif r == 2 then cmp = function() return random(2) == 1 end
  elseif r == 3 then cmp = function() return true end
  elseif r == 4 then local stop = counted(random(0, 40)) cmp = function(a, b) if stop() then error("stop") end return random(2) == 1 end
  elseif r == 5 then cmp = function(a, b) if type(t) == "table" then rawset(t, random(0, n + 1), some_value()) end return random(2) == 1 end
  elseif r == 6 then cmp = function() coroutine.yield() end
  else cmp = some_value() end
  if r == 6 then
    local co = coroutine.wrap(function() return pcall(table.sort, t, cmp) end)
    pcall(co)
  else
    pcall(table.sort, t, cmp)
  end
end

-- What the library will read an argument as (floats with integral values
-- and numeric strings count as integers).
local function as_int(v)
  local ok, n = pcall(math.tointeger, v)
  return ok and n or nil
end

local function fuzz_unpack()
  local a = args(2)
  local i, e = as_int(a[1]) or 1, as_int(a[2])
  if e and e >= i and e - i > 5000 and e - i < (1 << 30) and e - i >= 0 then return end
  if random(3) == 1 then pcall(table.unpack, some_table(), i)
  else pcall(table.unpack, some_table(), i, e) end
end

local function fuzz_move()
  local a = args(3)
  local f, e, t = as_int(a[1]), as_int(a[2]), as_int(a[3])
  if f and e and t and e >= f then
    if (f > 0 or e < ma + f) then
      local n = e - f + 1
      if n > 1000 and t <= ma - n + 1 then return end
    end
  end
  local src = some_table()
  local dst = random(2) == 1 and src or some_table()
  if random(3) == 1 then pcall(table.move, src, a[1], a[2], a[3])
  else pcall(table.move, src, a[1], a[2], a[3], dst) end
end

-- Whether counting from `from` up to `to` takes long (the difference may
-- overflow).
local function long_loop(from, to)
  local d = to - from
  return from < to and (d > 1000 or d < 0)
end

local function fuzz_insert_remove()
  local t = some_table()
  local n = len_of(t)
  local pos = random(4) == 1 and some_value() or some_int()
  local p = as_int(pos) or 0
  if random(2) == 1 then
    -- insert shifts n + 1 - pos elements
    -- insert shifts from pos up to the length + 1, which may wrap or be
    -- negative (then Lua accepts nearly any pos and loops as long)
    if long_loop(p, n + 1) then return end
    local r = random(3)
    if r == 1 then pcall(table.insert, t, some_value())
    elseif r == 2 then pcall(table.insert, t, pos, some_value())
    else pcall(table.insert, t, pos, 1, 2) end
  else
    if long_loop(p, n) then return end
    if random(3) == 1 then pcall(table.remove, t) else pcall(table.remove, t, pos) end
  end
end

local function fuzz_concat()
  local t = some_table()
  local a = args(2)
  local i, j = as_int(a[1]), as_int(a[2])
  if getmetatable(t) and i and j and j > i and j - i > 1000 then return end
  pcall(table.concat, t, ({"", ",", "\0", 5, {}})[random(5)], a[1], a[2])
end

local function fuzz_pack()
  local n = random(0, 300)
  local a = {}
  for i = 1, n do a[i] = some_value() end
  local p = table.pack(table.unpack(a, 1, n))
  assert(p.n == n)
end

local fragments = {"a", "Z", "\0", "\x7F", "\x80", "\xBF", "\xC0", "\xC1", "\xC2", "\xC3\xA9",
                   "\xDF", "\xE0", "\xE0\xA0\x80", "\xED\xA0\x80", "\xEF\xBF\xBF", "\xF0",
                   "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF7", "\xF8",
                   "\xFB\xBF\xBF\xBF\xBF", "\xFC", "\xFD\xBF\xBF\xBF\xBF\xBF", "\xFE", "\xFF"}
local function some_bytes()
  local parts = {}
  for i = 1, random(0, 8) do parts[i] = fragments[random(#fragments)] end
  return table.concat(parts)
end

local function fuzz_utf8()
  local s = random(8) == 1 and some_value() or some_bytes()
  local a = args(3)
  local lax = random(2) == 1
  local r = random(6)
  if r == 1 then pcall(utf8.len, s, a[1], a[2], lax)
  elseif r == 2 then
    local ok, len = pcall(function() return #s end)
    pcall(utf8.codepoint, s, a[1], a[2], lax)
  elseif r == 3 then pcall(utf8.offset, s, a[1], a[2])
  elseif r == 4 then
    pcall(function()
      local count = 0
      for p, c in utf8.codes(s, lax) do count = count + 1 if count > 100 then break end end
    end)
    local ok, f, st = pcall(utf8.codes, s, lax)
    if ok then pcall(f, st, a[1]) end
  elseif r == 5 then pcall(utf8.char, a[1], a[2], a[3])
  else
    -- round trip of valid code points
    local cps = {}
    for i = 1, random(0, 6) do cps[i] = random(0, 0x10FFFF) end
    for i = 1, #cps do if cps[i] >= 0xD800 and cps[i] <= 0xDFFF then cps[i] = 0x41 end end
    local enc = utf8.char(table.unpack(cps))
    local dec = {utf8.codepoint(enc, 1, -1)}
    assert(#dec == #cps and utf8.len(enc) == #cps, "utf8 round trip")
    for i = 1, #cps do assert(dec[i] == cps[i], "utf8 round trip") end
  end
end

local math_names = {"abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "log", "max", "min",
                    "modf", "rad", "random", "sin", "sqrt", "tan", "tointeger", "type", "ult",
                    "acos", "asin", "atan"}
local function fuzz_math()
  local f = math[math_names[random(#math_names)]]
  local n = random(0, 3)
  local a = {}
  for i = 1, n do a[i] = some_value() end
  pcall(f, table.unpack(a, 1, n))
  -- random(m, n) stays in range
  local lo, hi = some_int(), some_int()
  if lo > hi then lo, hi = hi, lo end
  local v = math.random(lo, hi)
  assert(math.type(v) == "integer" and lo <= v and v <= hi, "random out of range")
  if random(50) == 1 then pcall(math.randomseed, some_value(), some_value()) end
end

local fuzzers = {fuzz_sort, fuzz_unpack, fuzz_move, fuzz_insert_remove, fuzz_concat, fuzz_pack,
                 fuzz_utf8, fuzz_math}
for i = 1, iterations do
  for _, f in ipairs(fuzzers) do f() end
end
print("fuzz ok", iterations, seed)
