-- strings: concatenation in a loop, building with table.concat,
-- string.format of numbers, and string.rep/sub/byte/upper/find; measures
-- string creation, interning and the string library.
local N = tonumber(arg and arg[1]) or 700000
local s = ""
for i = 1, 20000 do s = s .. "x" end
local parts = {}
for i = 1, N do parts[#parts + 1] = string.format("%d:%5.2f", i, i / 7) end
local joined = table.concat(parts, ",")
local bsum = 0
for i = 1, #joined, 7 do bsum = bsum + joined:byte(i) end
local r = string.rep("abcdefghij", 1000)
local subs = 0
for i = 1, N * 3 do
  local a = (i * 37) % 9000 + 1
  subs = subs + #r:sub(a, a + (i % 50))
end
local found = 0
for i = 1, N do
  local w = "word" .. (i % 1000)
  if ("a word999 here"):find(w, 1, true) then found = found + 1 end
  if w:upper() == "WORD7" then found = found + 1 end
end
print(string.format("len=%d joined=%d bsum=%d subs=%d found=%d", #s, #joined, bsum, subs, found))
