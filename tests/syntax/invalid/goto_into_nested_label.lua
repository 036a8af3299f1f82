-- error: goto_into_nested_label.lua:4: no visible label 'inner' for <goto> at line 2
goto inner
do ::inner:: end
