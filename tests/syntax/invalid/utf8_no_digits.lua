-- error: utf8_no_digits.lua:2: hexadecimal digit expected near '"\u{}'
local s = "\u{}"
