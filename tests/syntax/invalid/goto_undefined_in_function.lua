-- error: goto_undefined_in_function.lua:5: no visible label 'skip' for <goto> at line 3
local function f()
  goto skip
end
print(1)
