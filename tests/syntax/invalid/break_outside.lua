-- error: break_outside.lua:5: break outside loop at line 3
local x = 1
break
x = 2
