-- Weak tables (__mode "k", "v", ephemerons) after full collections.
local cache = setmetatable({}, {__mode = "k"})
local vals = setmetatable({}, {__mode = "v"})
local key1, key2 = {}, {}
cache[key1] = "one"; cache[key2] = {}
vals[1] = {}; vals[2] = "str"; vals.x = key1
key2 = nil
collectgarbage(); collectgarbage()
local n = 0 for k, v in pairs(cache) do n = n + 1 end
print("keys left", n, cache[key1])
print("vals", vals[1], vals[2], vals.x == key1)
-- ephemeron: value refers to its own key
local eph = setmetatable({}, {__mode = "k"})
do local k = {} eph[k] = {ref = k} end
collectgarbage()
local m = 0 for _ in pairs(eph) do m = m + 1 end
print("ephemeron entries", m)
