-- error: call_trailing_comma.lua:2: unexpected symbol near ')'
f(1, 2,)
