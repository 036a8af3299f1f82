-- error: utf8_missing_close.lua:2: missing '}' near '"\u{41"'
local s = "\u{41"
