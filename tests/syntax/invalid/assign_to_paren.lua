-- error: assign_to_paren.lua:2: syntax error near '='
(a) = 1
