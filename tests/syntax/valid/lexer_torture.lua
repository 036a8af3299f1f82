-- Every literal form and lexical oddity Lua 5.4 accepts.
local s = {
  "double", 'single', "it's", 'say "hi"', "",
  "\a\b\f\n\r\t\v\\\"\'", '\'\"',
  "\x41\x62\x7a\xFF\x00", "\65\066\0671\0\255", "\u{48}\u{e9}\u{20AC}\u{10FFFF}\u{7FFFFFFF}\u{0}",
  "line one\
line two", "zapped \z
              across lines \z   ok",
  "\z", "a\z  b",
  [[]], [[
first newline skipped]], [==[ ]] ]=] ]===] ]==], [=[
]=], [[a]]..[[b]],
  [====[
[[nested-looking]] ]=] --[[ not a comment ]]
]====],
}

local n = {
  0, 1, 42, 007, 1234567890, 9223372036854775807, 9223372036854775808,
  0x0, 0xff, 0XFF, 0xDeadBeef, 0x7fffffffffffffff, 0xffffffffffffffff, 0x1ffffffffffffffff,
  1.0, 1., .5, 3.14159, 1e10, 1E10, 1e+10, 1e-10, 1.5e3, .5e-3, 5.E2,
  0x.8, 0x1p4, 0x1P-4, 0x.8p1, 0xA.8p0, 0x1.8p+1, 0X1.921FB54442D18P+1,
  1e308, 1e400, 2^53, -0.0,
}

local ops = 1 + 2 - 3 * 4 / 5 // 6 % 7 ^ 8 .. "" == 9 ~= 10
local bits = 1 & 2 | 3 ~ 4 << 5 >> 6
local cmp = 1 < 2, 1 <= 2, 1 > 2, 1 >= 2
local un = -1, not true, #"x", ~0, - -1, not not nil, ~ ~1
local cat = "a".."b".."c"   local dots = function(...) return ... end

--[[ long comment ]] local after_comment = 1
--[==[ level two
 ]] still inside
]==] local after_level_two = 2
-- short comment with ]] and [[ and --[[ inside
---[[ this is a short comment, so the next line is code
local not_commented = 3
--]]
--[=x not a long comment
--

local	tabs	=	"tabs"	;	local formfeed = 1;
localvt = 1
;;;
return s, n, ops, bits, cmp, un, cat, dots
