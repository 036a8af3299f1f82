-- error: goto_into_scope.lua:5: <goto skip> at line 2 jumps into the scope of local 'x'
goto skip
local x = 1
::skip::
print(x)
