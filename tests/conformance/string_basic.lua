-- string.len, lower, upper, rep (with separator, zero and negative counts),
-- reverse and sub (every index combination, negative and out-of-range).
print(string.len(""), string.len("abc"), ("a\0b"):len(), #"héllo")
print(string.lower("HeLLo WoRLD 123 ÀÉ"), string.upper("hello world 123 àé"))
print(string.rep("ab", 3), string.rep("ab", 3, ","), string.rep("x", 0),
  string.rep("x", -1), string.rep("", 5), string.rep("ab", 1, ","))
print(("-"):rep(10, ""), #string.rep("abc", 1000), string.rep("a", 2, "\0") == "a\0a")
print(string.reverse("abc"), string.reverse(""), string.reverse("a\0b"):byte(1, -1))
local s = "hello world"
local idx = {0, 1, 2, 5, 11, 12, 20, -1, -5, -11, -12, -20, math.maxinteger, math.mininteger}
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do
    row[#row + 1] = "[" .. s:sub(i, j) .. "]"
  end
  print(i, table.concat(row))
end
print(s:sub(3), s:sub(-3), s:sub(0), s:sub(100), s:sub(2.0, 4.0))
print(pcall(string.sub, s, 1.5))
print(pcall(string.sub, s, "x"))
print(pcall(string.sub))
print(pcall(string.rep))
print(pcall(string.rep, "x", math.maxinteger))
print(pcall(string.upper))
print(pcall(string.len, 10), pcall(string.upper, 12.5))
print(pcall(string.reverse, {}))
print(string.lower(123), string.rep(1, 3), string.len(1234))
