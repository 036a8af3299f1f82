-- wordcount: generates a deterministic text of pseudo-random words, then
-- counts word frequencies with gmatch into a hash table and sorts the
-- top entries; measures string hashing, table inserts and gmatch.
local seed = 42
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end
local syll = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qu", "da"}
local vocab = {}
for i = 1, 5000 do
  local w = {}
  for j = 1, 2 + rand(3) do w[j] = syll[rand(#syll) + 1] end
  vocab[i] = table.concat(w)
end
local lines = {}
for i = 1, 40000 do
  local ws = {}
  for j = 1, 12 do ws[j] = vocab[rand(rand(5000) + 1) + 1] end
  lines[i] = table.concat(ws, " ")
end
local text = table.concat(lines, "\n")
local counts, total = {}, 0
for r = 1, 5 do
  counts, total = {}, 0
  for w in text:gmatch("%a+") do
    counts[w] = (counts[w] or 0) + 1
    total = total + 1
  end
end
local words = {}
for w in pairs(counts) do words[#words + 1] = w end
table.sort(words, function(a, b)
  if counts[a] ~= counts[b] then return counts[a] > counts[b] end
  return a < b
end)
local top = {}
for i = 1, 5 do top[i] = words[i] .. "=" .. counts[words[i]] end
print(string.format("words=%d distinct=%d top: %s", total, #words, table.concat(top, " ")))
