-- error: vararg_outside.lua:3: cannot use '...' outside a vararg function near '...'
function f()
  return ...
end
