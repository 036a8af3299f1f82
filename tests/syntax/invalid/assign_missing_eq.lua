-- error: assign_missing_eq.lua:3: '=' expected near <eof>
a, b
