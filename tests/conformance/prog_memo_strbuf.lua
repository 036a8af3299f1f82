-- A larger program: memoisation (of recursive functions, with multiple
-- arguments, with nil results, and a cache keyed by tables), plus string
-- buffer building (table.concat vs repeated .., string.rep, a rope with
-- __concat, and line wrapping).
local function memoize(f)
  local cache, hits = {}, 0
  local NIL = {}
  return function(...)
    local key = table.concat({...}, "\0")
    local v = cache[key]
    if v ~= nil then hits = hits + 1 if v == NIL then return nil end return v end
    v = f(...)
    cache[key] = v == nil and NIL or v
    return v
  end, function() return hits end
end
local fib, fibhits
fib, fibhits = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(80), fibhits())
local binom, bhits
binom, bhits = memoize(function(n, k)
  if k == 0 or k == n then return 1 end
  return binom(n - 1, k - 1) + binom(n - 1, k)
end)
print(binom(60, 30), bhits())
local calls = 0
local maybe = memoize(function(x) calls = calls + 1 if x % 2 == 0 then return nil end return x end)
print(maybe(1), maybe(2), maybe(2), maybe(1), calls)
-- collatz lengths with a table cache
local clen = {[1] = 1}
local function collatz(n)
  if clen[n] then return clen[n] end
  local nx = n % 2 == 0 and n // 2 or 3 * n + 1
  local l = collatz(nx) + 1
  clen[n] = l
  return l
end
local best, bestn = 0, 0
for i = 1, 30000 do local l = collatz(i) if l > best then best, bestn = l, i end end
print("collatz", bestn, best)
-- string buffers
local parts = {}
for i = 1, 1000 do parts[#parts + 1] = string.format("%04d", i) end
local joined = table.concat(parts, ",")
print(#joined, joined:sub(1, 19), joined:sub(-9))
local s = ""
for i = 1, 500 do s = s .. i % 10 end
print(#s, s:sub(1, 12), s == string.rep("1234567890", 50))
local Rope = {}
Rope.__index = Rope
Rope.__concat = function(a, b)
  local r = setmetatable({pieces = {}}, Rope)
  for _, x in ipairs({a, b}) do
    if getmetatable(x) == Rope then for _, p in ipairs(x.pieces) do r.pieces[#r.pieces + 1] = p end
    else r.pieces[#r.pieces + 1] = tostring(x) end
  end
  return r
end
Rope.__tostring = function(r) return table.concat(r.pieces) end
Rope.__len = function(r) return #tostring(r) end
local rope = setmetatable({pieces = {}}, Rope)
for i = 1, 10 do rope = rope .. i .. "," end
print(tostring(rope), #rope, #rope.pieces)
-- word wrapping
local text = ("The quick brown fox jumps over the lazy dog. "):rep(6)
local function wrap(str, width)
  local lines, line = {}, ""
  for word in str:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then lines[#lines + 1] = line line = word
    else line = #line > 0 and (line .. " " .. word) or word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
for i, l in ipairs(wrap(text, 30)) do print(string.format("%2d|%-30s|", i, l)) end
-- building a big string with string.rep and gsub
local grid = ("." ):rep(10, "") .. "\n"
grid = grid:rep(3)
grid = grid:gsub("()%.", function(p) if p % 4 == 0 then return "#" end end)
io.write(grid)
