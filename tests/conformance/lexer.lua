-- Lexical details: numeric literals (decimal, hex, hex floats, exponents,
-- huge hex wrapping), comments (line, long, nested levels), identifiers
-- with underscores and digits, keywords as field names, and whitespace.
print(0xff, 0XFF, 0x0, 0xA, 0Xa, 1e0, 1E+1, 1e-1, .5, 5., 3.14, 0x.8, 0x1p-1, 0xA.8P0)
print(0x10p2, 0x1P10, 1e308 * 10, 2e-324, 0x7fffffffffffffff, 0xffffffffffffffff, 0x1ffffffffffffffff)
print(math.type(0x10), math.type(0x10p0), math.type(1e2), math.type(100), math.type(9007199254740993))
print(18446744073709551615, 9223372036854775808, -9223372036854775808, math.type(-9223372036854775808))
print(1--[[inline comment]]+--[==[another
multi-line ]] still comment]==]2)
--[[ block
comment ]] print("after block comment")
--[==[ level 2 with ]] and ]=] inside ]==] print("after level-2 comment")
---[[ this is a line comment, so the next line runs
print("not commented out")
--]]
local _under, a1, _ = 1, 2, 3
local CamelCase, snake_case, ALLCAPS = "c", "s", "A"
print(_under, a1, _, CamelCase, snake_case, ALLCAPS)
local t = {["end"] = 1, ["while"] = 2, goto_ = 3}
print(t["end"], t["while"], t.goto_)
print(#"\z
       ", "a\z   b", "tab:\tend")
local s = [==[
]]==]
print(s, #s)
-- numbers immediately followed by letters or dots are malformed
for _, src in ipairs({"return 3x", "return 0xg", "return 1..2", "return 1.2.3", "return 08", "return 0x1p", "return 1e+-2", "return .e1"}) do
  local f, err = load(src, "=lex")
  print(src, f and f() or err)
end
-- keywords
local kws = {"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"}
local bad = 0
for _, kw in ipairs(kws) do
  if load("local " .. kw .. " = 1") then bad = bad + 1 end
end
print("keywords rejected as names:", #kws - bad)
-- carriage returns and form feeds are whitespace
local f = load("return\r\n1\f+\v2\r+3")
print(f())
-- line numbers count \n, \r, \r\n and \n\r as one line each
local g = load("\n\r\n\r\n\rerror('here')", "=lines")
print(pcall(g))
