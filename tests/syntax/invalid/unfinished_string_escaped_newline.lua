-- error: unfinished_string_escaped_newline.lua:3: unfinished string near <eof>
local s = "abc\
