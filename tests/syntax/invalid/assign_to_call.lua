-- error: assign_to_call.lua:2: syntax error near '='
f() = 1
