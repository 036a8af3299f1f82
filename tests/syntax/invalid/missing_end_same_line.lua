-- error: missing_end_same_line.lua:2: 'end' expected near <eof>
while true do x = 1