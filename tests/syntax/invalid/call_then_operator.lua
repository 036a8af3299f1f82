-- error: call_then_operator.lua:2: unexpected symbol near '+'
f() + 1
