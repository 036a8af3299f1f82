-- error: method_bad_args.lua:2: function arguments expected near '+'
obj:m + 1
