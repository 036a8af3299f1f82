-- string.format %q: strings with quotes, newlines, control characters,
-- zero bytes and high bytes; integers (incl. mininteger), floats (hex
-- form, inf, nan), booleans and nil; errors for other types; and that
-- the result loads back to an equal value.
local F = string.format
local vals = {
  "plain", 'with "quotes"', "back\\slash", "new\nline", "cr\rhere", "tab\there",
  "zero\0byte", "zero\0" .. "1digit", "\1\2\3", "\1" .. "23", "del\127", "high\200\255",
  "bell\a", "", "\r\n", "é", "\0",
  0, 1, -1, 42, math.maxinteger, math.mininteger, 1.0, -0.0, 0.5, 0.1, 1/3,
  1e100, 2^63, -2^63, 123.456, math.huge, -math.huge, true, false,
}
for i, v in ipairs(vals) do
  local q = F("%q", v)
  local back = load("return " .. q)()
  local same = back == v and math.type(back) == math.type(v)
  print(i, q, same)
end
print(F("%q", nil))
local q = F("%q", 0/0)
print(q, load("return " .. q)() ~= load("return " .. q)())
for _, v in ipairs({{}, print, coroutine.create(print)}) do
  print(pcall(F, "%q", v))
end
print(pcall(F, "%10q", "x"))
print(pcall(F, "%-q", 1))
print(F("%q %q", "a\nb", 1) == '"a\\\nb" 1')
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local s = F("%q", all)
print(#s, load("return " .. s)() == all)
