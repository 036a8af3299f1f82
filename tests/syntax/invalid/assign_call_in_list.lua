-- error: assign_call_in_list.lua:2: syntax error near '='
a, f() = 1, 2
