-- error: label_repeated_adjacent.lua:3: label 'a' already defined on line 2
::a:: ::a::
