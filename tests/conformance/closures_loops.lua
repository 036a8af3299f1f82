-- Loops creating closures: each iteration of numeric for, generic for,
-- while and repeat has a fresh local, so closures capture distinct
-- variables; the loop control variable itself is fresh per iteration.
local fs = {}
for i = 1, 5 do fs[#fs + 1] = function() return i end end
local out = {}
for _, f in ipairs(fs) do out[#out + 1] = f() end
print(table.concat(out, " "))
fs = {}
for k, v in ipairs({"a", "b", "c"}) do fs[#fs + 1] = function() return k .. v end end
out = {}
for _, f in ipairs(fs) do out[#out + 1] = f() end
print(table.concat(out, " "))
-- while loop with a local declared inside
fs = {}
local j = 0
while j < 4 do
  j = j + 1
  local captured = j * 10
  fs[j] = function() return captured end
end
out = {}
for _, f in ipairs(fs) do out[#out + 1] = f() end
print(table.concat(out, " "))
-- the while-loop counter is a single variable
fs = {}
local k = 0
while k < 3 do k = k + 1; fs[k] = function() return k end end
print(fs[1](), fs[2](), fs[3]())
-- repeat: the body's locals are visible in the until condition
fs = {}
local n = 0
repeat
  n = n + 1
  local m = n
  fs[n] = function() m = m + 100 return m end
until m >= 3
print(fs[1](), fs[1](), fs[2](), fs[3]())
-- modifying a loop variable's captured copy does not affect the loop
fs = {}
for i = 1, 3 do
  fs[i] = function() i = i + 10 return i end
end
print(fs[1](), fs[1](), fs[2](), fs[3]())
-- nested loops
fs = {}
for a = 1, 3 do
  for b = 1, 2 do
    fs[#fs + 1] = function() return a * 10 + b end
  end
end
out = {}
for _, f in ipairs(fs) do out[#out + 1] = f() end
print(table.concat(out, " "))
-- closures created in a loop that breaks
fs = {}
for i = 1, 10 do
  fs[i] = function() return i * i end
  if i == 4 then break end
end
print(#fs, fs[4]())
-- closures sharing a loop-local variable with each other
local getters, setters = {}, {}
for i = 1, 3 do
  local x = i
  getters[i] = function() return x end
  setters[i] = function(v) x = v end
end
setters[2](99)
print(getters[1](), getters[2](), getters[3]())
