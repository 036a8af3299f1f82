-- error: goto_undefined.lua:3: no visible label 'nowhere' for <goto> at line 2
goto nowhere
