-- Ends with error() of a table whose __tostring gives the message shown
-- on stderr, after some output on stdout.
for i = 1, 3 do print("line", i) end
error(setmetatable({}, {__tostring = function() return "custom error object" end}))
