-- utf8 library: char, charpattern, codes, codepoint, len, offset, with
-- ranges, negative indices, invalid sequences (returning the failing
-- position), lax mode for surrogates and large code points, and errors.
print(utf8.char(72, 228, 8364, 128512, 0, 0x7FFFFFFF):byte(1, -1))
print(utf8.char(), utf8.char(65, 66))
print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
local s = "héllo wörld €𝄞"
print(#s, utf8.len(s))
for p, c in utf8.codes(s) do io.write(p, ":", c, " ") end
print()
print(utf8.codepoint(s, 1, -1))
print(utf8.codepoint(s), utf8.codepoint(s, 2), utf8.codepoint(s, -4))
print(pcall(utf8.codepoint, s, 3))
print(utf8.len(s, 3), utf8.len(s, 1, 2), utf8.len(s, -4), utf8.len(""), utf8.len("abc", 4))
print(utf8.len("\xff"), utf8.len("abc\x80def"), utf8.len("\xC0\x80"), utf8.len("\xED\xA0\x80"))
print(utf8.len("\xED\xA0\x80", 1, -1, true), utf8.len("\xF4\x90\x80\x80"), utf8.len("\xF4\x90\x80\x80", 1, -1, true))
print(pcall(utf8.len, "abc", 5))
print(pcall(utf8.len, "abc", 0))
-- offset
for _, n in ipairs({1, 2, 3, 5, 13, 14, 15, 0, -1, -2}) do io.write(tostring(utf8.offset(s, n)), " ") end
print()
print(utf8.offset(s, 0, 3), utf8.offset(s, 1, 4), utf8.offset(s, -1, 4), utf8.offset("abc", 5))
print(pcall(utf8.offset, s, 1, 3))
print(pcall(utf8.offset, "abc", 1, 5))
-- codes on invalid input raises an error
print(pcall(function() for p, c in utf8.codes("ab\xffcd") do end end))
print(pcall(function() for p, c in utf8.codes("\xED\xA0\x80") do end end))
print(pcall(function() local n = 0 for p, c in utf8.codes("\xED\xA0\x80", true) do n = c end return n end))
-- codepoint errors
print(pcall(utf8.codepoint, "\xff"))
print(pcall(utf8.codepoint, "abc", 4))
print(pcall(utf8.codepoint, "abc", 1, 4))
print(pcall(utf8.codepoint, "\u{D800}"))
print(pcall(utf8.codepoint, "\u{D800}", 1, 1, true))
-- char errors
print(pcall(utf8.char, -1))
print(pcall(utf8.char, 0x80000000))
print(pcall(utf8.char, "x"))
-- iterate with the charpattern
local chars = {}
for ch in s:gmatch(utf8.charpattern) do chars[#chars + 1] = ch end
print(#chars, chars[2], chars[14])
-- reverse a UTF-8 string by code points
local rev = {}
for _, c in utf8.codes("añb€") do table.insert(rev, 1, utf8.char(c)) end
print(table.concat(rev))
-- overlong and truncated sequences
for _, bad in ipairs({"\xC1\xBF", "\xE0\x80\x80", "\xE2\x82", "\xF0\x9F\x98", "\x80", "\xF8\x88\x80\x80\x80"}) do
  print(utf8.len(bad))
end
