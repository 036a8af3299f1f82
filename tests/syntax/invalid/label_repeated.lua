-- error: label_repeated.lua:5: label 'a' already defined on line 2
::a::
x = 1
::a::
