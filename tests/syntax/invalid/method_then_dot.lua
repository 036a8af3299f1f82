-- error: method_then_dot.lua:2: '(' expected near '.'
function a:b.c() end
