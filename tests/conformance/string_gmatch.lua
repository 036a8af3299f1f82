-- string.gmatch: iteration with and without captures, position captures,
-- the Lua 5.4 empty-match rules, a '^' (not an anchor in gmatch, so it
-- matches a literal caret), and the init argument.
local function all(s, p, init)
  local out = {}
  for a, b in string.gmatch(s, p, init) do
    out[#out + 1] = "<" .. tostring(a) .. (b ~= nil and ("|" .. tostring(b)) or "") .. ">"
  end
  print(string.format("%-14s %-12s %s", string.format("%q", s), string.format("%q", p), table.concat(out)))
end
all("hello world from lua", "%a+")
all("one two  three", "%S+")
all("k1=v1, k2=v2", "(%w+)=(%w+)")
all("abc", "")
all("abc", "x*")
all("abc", "()")
all("abc", "a*")
all("aaa", "a*")
all("baaac", "a*")
all("abc", ".-")
all("a,b,,c,", "([^,]*)")
all("a,b,,c,", "[^,]*")
all("a;b;c", "[^;]+")
all("  x  y  ", "%s*")
all("hello", "^h")
all("hello", "^l")
all("hello", "l")
all("hello", "()l()")
all("", "")
all("", "x*")
all("x", "")
all("abab", "ab$")
all("line1\nline2\nline3", "[^\n]+")
all("a1b22c333", "%a(%d+)")
all("THE (quick) [brown] {fox}", "%b()")
all("THE (quick) [brown] {fox}", "%f[%w]%w+")
all("hello world", "o", 6)
all("hello world", "o", -3)
all("hello world", "%a+", 100)
-- gmatch returns a fresh iterator; state is not shared
local it1 = ("a b c"):gmatch("%a")
local it2 = ("a b c"):gmatch("%a")
print(it1(), it1(), it2(), it1(), it1(), it2())
-- word frequencies with sorted output
local text = "the quick brown fox jumps over the lazy dog the fox"
local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", freq[k], " ") end
print()
print(pcall(string.gmatch, "x"))
print(pcall(function() for x in ("x"):gmatch("(") do end end))
