-- error: assign_missing_value.lua:3: unexpected symbol near <eof>
a = 
