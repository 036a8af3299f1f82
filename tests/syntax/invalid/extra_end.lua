-- error: extra_end.lua:3: <eof> expected near 'end'
x = 1
end
