-- error: call_unclosed_method.lua:4: ')' expected (to close '(' at line 2) near <eof>
obj
:method(1
