-- Control flow: if/elseif/else chains, while with break, repeat-until
-- with the body's locals visible in the condition, nested breaks, do
-- blocks and scoping/shadowing of locals, and truthiness of values.
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
print(classify(-5), classify(0), classify(5), classify(50))
for _, v in ipairs({0, "", false, {}}) do
  if v then io.write("truthy ") else io.write("falsy ") end
end
if nil then print("no") else print("nil is falsy") end
local i = 0
while true do
  i = i + 1
  if i > 5 then break end
end
print("while", i)
local n = 0
repeat
  local done = n >= 3
  n = n + 1
until done
print("repeat", n)
-- nested loops: break exits only the innermost
local pairs_found = {}
for a = 1, 3 do
  for b = 1, 3 do
    if b > a then break end
    pairs_found[#pairs_found + 1] = a .. b
  end
end
print(table.concat(pairs_found, " "))
-- shadowing
local x = 1
do
  local x = x + 1
  do
    local x = x * 10
    print("inner", x)
  end
  print("middle", x)
end
print("outer", x)
-- locals declared in a loop body are fresh each iteration
local t = {}
for k = 1, 3 do
  local v
  if k == 1 then v = "set" end
  t[k] = tostring(v)
end
print(table.concat(t, " "))
-- while with complex condition
local a, b = 0, 10
while a < b and a ~= 4 do a = a + 1 b = b - 1 end
print(a, b)
-- repeat whose condition uses a local that shadows an outer one
local y = "outer"
local count = 0
repeat
  local y = count
  count = count + 1
until y >= 2
print(y, count)
-- empty statements and semicolons
;;; local z = 1; ; print("semicolons", z);
-- a numeric for inside a while inside a repeat
local total = 0
repeat
  local w = 0
  while w < 3 do
    w = w + 1
    for q = 1, w do total = total + q end
  end
until true
print("total", total)
-- return in the middle of a block requires do ... end
local function early(v)
  do return v * 2 end
end
print(early(21))
