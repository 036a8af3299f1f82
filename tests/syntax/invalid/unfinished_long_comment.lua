-- error: unfinished_long_comment.lua:5: unfinished long comment (starting at line 3) near <eof>
local x = 1
--[[ never
closed
