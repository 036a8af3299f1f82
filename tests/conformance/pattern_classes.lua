-- Pattern character classes over all 256 bytes: %a %c %d %g %l %p %s %u
-- %w %x and their complements, '.', and the same classes inside sets.
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local function summary(p)
  local codes = {}
  for c in all:gmatch(p) do codes[#codes + 1] = c:byte() end
  -- compress into ranges
  local ranges, i = {}, 1
  while i <= #codes do
    local j = i
    while j < #codes and codes[j + 1] == codes[j] + 1 do j = j + 1 end
    ranges[#ranges + 1] = codes[i] == codes[j] and tostring(codes[i]) or (codes[i] .. "-" .. codes[j])
    i = j + 1
  end
  return #codes .. " " .. table.concat(ranges, ",")
end
for _, c in ipairs({"a", "c", "d", "g", "l", "p", "s", "u", "w", "x"}) do
  print("%" .. c, summary("%" .. c))
  print("%" .. c:upper(), summary("%" .. c:upper()))
  print("[%" .. c .. "]", summary("[%" .. c .. "]"))
  print("[^%" .. c .. "]", summary("[^%" .. c .. "]"))
end
print(".", summary("."))
print("[%a%d_]", summary("[%a%d_]"))
print("[a-fA-F0-9]", summary("[a-fA-F0-9]"))
print("[%w_%-]", summary("[%w_%-]"))
print("[\1-\31]", summary("[\1-\31]"))
print("[\128-\255]", summary("[\128-\255]"))
print("[^\0-\127]", summary("[^\0-\127]"))
print("%z", summary("%z"))
-- escaped punctuation matches itself
for _, c in ipairs({".", "%", "(", ")", "[", "]", "*", "+", "-", "?", "^", "$"}) do
  io.write(c, "=", tostring(("a" .. c .. "b"):find("%" .. c)), " ")
end
print()
-- a "%" before a letter that names no class matches that letter itself
for _, c in ipairs({"e", "q", "y", "1"}) do
  print("%" .. c, pcall(string.find, "abc e q y 1", "%" .. c))
end
