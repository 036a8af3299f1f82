-- error: unfinished_string_eof.lua:2: unfinished string near <eof>
local s = "abc