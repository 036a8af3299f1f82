-- utf8 corners beyond utf8_lib.lua: the boundaries between 1- to 6-byte
-- sequences in char, codepoint and len (strict and lax), overlong forms,
-- surrogates, truncated sequences, offset counting forwards and backwards
-- from every position, negative and out-of-range positions, and codes over
-- valid text (with a manual step of its iterator).
local function bytes(s)
  local t = {utf8.codepoint(s, 1, -1, true)}
  return #s .. ":" .. table.concat(t, ",")
end
local function cps(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  return table.concat(t, " ")
end
local edges = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF,
               0x110000, 0x1FFFFF, 0x200000, 0x3FFFFFF, 0x4000000, 0x7FFFFFFF}
for _, c in ipairs(edges) do
  local s = utf8.char(c)
  print(c, #s, utf8.len(s), utf8.len(s, 1, -1, true),
        cps(pcall(utf8.codepoint, s)), utf8.codepoint(s, 1, 1, true) == c)
end
for _, c in ipairs({0xD800, 0xDBFF, 0xDC00, 0xDFFF}) do
  local s = utf8.char(c)
  print(c, #s, utf8.len(s), utf8.len(s, 1, -1, true), utf8.codepoint(s, 1, 1, true) == c)
end
-- overlong encodings are invalid even in lax mode
for _, s in ipairs({"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xF0\x80\x80\x80",
                    "\xF0\x8F\xBF\xBF", "\xF8\x80\x80\x80\x80", "\xFC\x80\x80\x80\x80\x80"}) do
  print(#s, utf8.len(s), utf8.len(s, 1, -1, true))
end
-- truncated and interrupted sequences report the first bad byte
for _, s in ipairs({"ab\xE2\x82", "\xE2\x82ab", "a\xF0\x9F\x98x", "\xC3", "\xC3\xC3\xA9", "ok\xFFok"}) do
  print(#s, utf8.len(s), utf8.len(s, 1, -1, true))
end
-- len over sub-ranges, negative bounds
local s = "aé€😀z"
print(#s, utf8.len(s), utf8.len(s, 2), utf8.len(s, 4), utf8.len(s, -1), utf8.len(s, -5), utf8.len(s, 1, 1))
print(utf8.len(s, 1, 2), utf8.len(s, 1, 3), utf8.len(s, 2, 2), utf8.len(s, #s + 1), utf8.len(s, 1, 0))
print(pcall(utf8.len, s, #s + 2))
print(pcall(utf8.len, s, 1, #s + 1))
print(utf8.len(s, 1, -20), utf8.len(s, -20 + #s + 1 > 0 and 1 or 1))
-- codepoint ranges
print(utf8.codepoint(s, 1, -1))
print(utf8.codepoint(s, -1), utf8.codepoint(s, 4, 6), select("#", utf8.codepoint(s, 3, 2)))
print(pcall(utf8.codepoint, s, 3))
print(pcall(utf8.codepoint, s, 1, #s + 1))
print(pcall(utf8.codepoint, s, 0))
print(pcall(utf8.codepoint, s, -#s - 1))
-- offset from every position, forwards and backwards
for i = 1, #s + 1 do
  local row = {}
  for _, n in ipairs({-3, -2, -1, 0, 1, 2, 3}) do
    local ok, r = pcall(utf8.offset, s, n, i)
    row[#row + 1] = ok and tostring(r) or "E"
  end
  print(i, table.concat(row, " "))
end
print(utf8.offset(s, 6), utf8.offset(s, 7), utf8.offset(s, -5), utf8.offset(s, -6))
print(pcall(utf8.offset, s, 1, #s + 2))
print(pcall(utf8.offset, s, 1, -#s - 1))
print(utf8.offset(s, 0, -1), utf8.offset(s, -1, -1), utf8.offset(s, 1, -1))
-- codes over valid text, and its iterator driven by hand
local out = {}
for p, c in utf8.codes(s) do out[#out + 1] = p .. "=" .. c end
print(table.concat(out, " "))
local f, st, init = utf8.codes(s)
print(type(f), st == s, init)
print(f(s, 0))
print(f(s, 1))
print(f(s, 2))
print(f(s, 12))
print(f(s, #s))
out = {}
for p, c in utf8.codes("\u{D800}x", true) do out[#out + 1] = p .. "=" .. c end
print(table.concat(out, " "))
print(pcall(function() for p, c in utf8.codes("a\u{D800}") do end end))
print(pcall(function() for p, c in utf8.codes("a\xF4\x90\x80\x80") do end end))
print(pcall(function() for p, c in utf8.codes("ab\xE2\x82") do end end))
-- char with several arguments and numeric strings
print(utf8.char(72, 105, 0x263A, "33") == "Hi\u{263A}!")
print(pcall(utf8.char, 65, -1))
print(pcall(utf8.char, 65, 2^31))
print(pcall(utf8.char, 65, {}))
print(bytes(utf8.char(0x7FFFFFFF)), bytes(utf8.char(0x10FFFF)))
