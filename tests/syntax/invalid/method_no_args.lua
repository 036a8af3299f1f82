-- error: method_no_args.lua:3: function arguments expected near <eof>
local x = obj:m
