-- error: utf8_missing_open.lua:2: missing '{' near '"\u4'
local s = "\u41"
