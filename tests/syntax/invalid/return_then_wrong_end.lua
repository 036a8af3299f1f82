-- error: return_then_wrong_end.lua:2: 'until' expected near 'end'
repeat return end
