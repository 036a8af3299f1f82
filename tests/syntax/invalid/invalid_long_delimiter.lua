-- error: invalid_long_delimiter.lua:2: invalid long string delimiter near '[=='
local s = [==x]
