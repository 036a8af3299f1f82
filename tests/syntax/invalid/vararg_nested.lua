-- error: vararg_nested.lua:3: cannot use '...' outside a vararg function near '...'
function f(...)
  return function() return ... end
end
