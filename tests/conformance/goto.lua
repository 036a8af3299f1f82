-- goto and labels: continue idiom, breaking out of nested loops, backward
-- gotos forming loops, gotos that create closures on each pass, labels at
-- block ends, and the compile errors (undefined label, jumping into the
-- scope of a local, repeated labels).
for i = 1, 5 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
-- break out of nested loops
for i = 1, 3 do
  for j = 1, 3 do
    if i * j == 4 then
      print("found", i, j)
      goto done
    end
  end
end
::done::
-- backward goto as a loop
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
print("n", n)
-- each pass through a backward goto creates a new local
local fs = {}
do
  local i = 1
  ::again::
  local x = i * 10
  fs[#fs + 1] = function() return x end
  i = i + 1
  if i <= 3 then goto again end
end
print(fs[1](), fs[2](), fs[3]())
-- goto in while and repeat
local w = 0
while true do
  w = w + 1
  if w > 3 then goto out end
end
::out::
print("w", w)
local r = 0
repeat
  r = r + 1
  if r == 2 then goto skip end
  io.write("r", r, " ")
  ::skip::
until r >= 4
print()
-- label at end of block with a local before it is fine
do
  local z = 1
  goto finish
  ::finish::
end
-- compile errors
local bad = {
  "goto nowhere",
  "do goto l end local x = 1 ::l:: print(x)",
  "::a:: ::a::",
  "goto l; local x; ::l:: x = 1",
  "for i = 1, 2 do ::l:: end goto l",
  "::l:: do ::l:: end",
  "break",
  "if true then break end",
}
for _, src in ipairs(bad) do
  local f, err = load(src, "=src")
  print(f, err)
end
-- a state machine with gotos
local out = {}
local input = "aabbbc"
local pos = 1
::state_a::
if input:sub(pos, pos) == "a" then out[#out + 1] = "A" pos = pos + 1 goto state_a end
::state_b::
if input:sub(pos, pos) == "b" then out[#out + 1] = "B" pos = pos + 1 goto state_b end
out[#out + 1] = "end:" .. input:sub(pos)
print(table.concat(out, " "))
