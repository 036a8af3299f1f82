-- error: return_not_last_main.lua:3: <eof> expected near 'print'
return 1
print(2)
