-- Ends with error("...", 0): no position in the message on stderr; also
-- checks that a pending <close> variable runs before the program exits.
local x <close> = setmetatable({}, {__close = function() print("closed on the way out") end})
print("running")
error("plain message without position", 0)
