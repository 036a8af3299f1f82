-- error: label_unclosed.lua:3: '::' expected near 'x'
::a
x = 1
