-- error: assign_literal.lua:2: unexpected symbol near '1'
a, 1 = 2
