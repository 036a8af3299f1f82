-- error: goto_no_name.lua:2: <name> expected near '1'
goto 1
