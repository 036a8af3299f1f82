-- String literals: every escape (\a \b \f \n \r \t \v \\ \" \' \z \xXX
-- \ddd \u{XXX}), long strings of every level, leading newline rule, #,
-- embedded zeros, and concatenation of strings and numbers.
local function bytes(s)
  local t = {}
  for i = 1, #s do t[i] = s:byte(i) end
  return #s .. ":" .. table.concat(t, ",")
end
print(bytes("\a\b\f\n\r\t\v\\\"\'"))
print(bytes('\65\066\0677\x41\x7a\x7A\0\00\000'))
print(bytes("\u{0}\u{41}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"))
print(bytes("\u{7FFFFFFF}"), bytes("\u{3FFFFFF}"), bytes("\u{1FFFFF}"))
print(bytes("a\z
             b"), bytes("a\z  c"), bytes("x\
y"))
print(bytes("\255\254\1"), "\104\101\108\108\111")
print([[plain]], [==[with ]] inside]==], [[
leading newline skipped]], #[[

two]])
print([=[
]=] == "", [[a
b]] == "a\nb", #[[\n]], [[\n]])
local long = [==[
line1
  line2 ]] ]=] ]===]
line3]==]
print(long)
print(#long)
-- CR LF sequences in long strings are normalised to \n
local f = load("return [[a\r\nb\n\rc\rd]]")
print(bytes(f()))
local g = load("return 'a\\\r\nb'")
print(bytes(g()))
-- # and embedded zeros
local z = "a\0b\0c"
print(#z, z:byte(2), z:sub(3, 3), #"", #"\0", ("\0"):rep(5):len())
print(z == "a\0b\0c", z < "a\0b\0d", z .. "" == z)
-- concatenation
print("a" .. "b" .. "c", 1 .. "", 1 .. 2 .. 3, "x" .. 1.5, -1 .. -2)
print(("ab"):rep(3) .. 10 // 3 .. 2^2)
local parts = {}
for i = 1, 10 do parts[#parts + 1] = i .. ":" .. i * 1.5 end
print(table.concat(parts, " "))
-- escapes errors reported by load
for _, src in ipairs({'return "\\q"', 'return "\\x4"', 'return "\\256"',
    'return "\\u{110000000}"', 'return "abc', "return [[abc", 'return "\\u{}"',
    'return "a\nb"', 'return "\\u123"', "return [=[x]]"}) do
  local fn, err = load(src, "=lit")
  print(fn, err)
end
