-- error: label_repeated_nested.lua:5: label 'a' already defined on line 2
::a::
do
  ::a::
end
