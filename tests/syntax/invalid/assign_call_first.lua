-- error: assign_call_first.lua:2: syntax error near ','
f(), a = 1, 2
