-- error: goto_into_repeat_scope.lua:6: <goto e> at line 3 jumps into the scope of local 'x'
repeat
  goto e
  local x
  ::e::
until x
