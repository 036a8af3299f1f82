-- error: break_in_function_in_loop.lua:4: break outside loop at line 3
while true do
  local f = function() break end
end
