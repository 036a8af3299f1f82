-- error: utf8_too_large.lua:2: UTF-8 value too large near '"\u{80000000'
local s = "\u{80000000}"
