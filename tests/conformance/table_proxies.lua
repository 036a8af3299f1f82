-- table library on proxies: which keys insert, remove, concat, unpack and
-- move read and write through __index/__newindex/__len, in what order,
-- and how often __len is called; tables whose metatable lacks a field are
-- still tables; non-integer lengths; the result of move.
local log = {}
local function L(s) log[#log + 1] = s end
local function flush(title) print(title, table.concat(log, " ")) log = {} end
local function proxy(store)
  return setmetatable({}, {
    __index = function(_, k) L("get" .. tostring(k)) return store[k] end,
    __newindex = function(_, k, v) L("set" .. tostring(k) .. "=" .. tostring(v)) store[k] = v end,
    __len = function() L("len") return #store end,
  })
end
local store = {10, 20, 30}
local p = proxy(store)
table.insert(p, 40) flush("append")
table.insert(p, 2, 15) flush("insert2")
table.insert(p, #store + 1, 50) flush("insert-end")
print(table.remove(p, 1)) flush("remove1")
print(table.remove(p)) flush("pop")
print(table.remove(p, #store + 1)) flush("remove-n+1")
print(table.concat(p, ",")) flush("concat")
print(table.concat(p, ",", 2, 3)) flush("concat-range")
print(table.unpack(p)) flush("unpack")
print(table.unpack(p, 2, 3)) flush("unpack-range")
print(table.concat(store, ","))
local d = proxy({})
print(table.move(p, 1, 3, 2, d) == d) flush("move-to-proxy")
print(table.move(p, 2, 3, 1) == p) flush("move-down")
print(table.move(p, 1, 2, 2) == p) flush("move-up")
print(table.concat(store, ","))
-- remove on an empty proxy touches only the length and index 0
local e = proxy({})
print(table.remove(e)) flush("remove-empty")
print(table.remove(e, 0)) flush("remove-0")
-- a metatable without the metamethods does not stop a real table
local plain = setmetatable({3, 1, 2}, {__name = "Thing"})
table.sort(plain)
table.insert(plain, 4)
print(table.concat(plain, ","), table.remove(plain, 1), table.unpack(plain))
-- a length given as a float with an integral value is accepted
local fl = setmetatable({}, {__len = function() return 3.0 end, __index = function(_, k) return k * 2 end})
print(table.concat(fl, " "), table.unpack(fl))
print(pcall(table.concat, setmetatable({}, {__len = function() return 2.5 end})))
print(pcall(table.unpack, setmetatable({}, {__len = function() return "2" end})))
print(pcall(table.insert, setmetatable({}, {__len = function() error("no length") end}), 1))
-- __index returning non-strings for concat
local bad = setmetatable({}, {__index = function(_, k) if k == 2 then return true end return "s" .. k end})
print(pcall(table.concat, bad, "", 1, 3))
-- unpack and concat of a table with holes, explicit bounds
local holes = {1, nil, 3}
print(table.unpack(holes, 1, 3))
print(select("#", table.unpack(holes, 1, 3)))
print(pcall(table.concat, holes, "-", 1, 3))
-- pack keeps trailing nils in n
local pk = table.pack(nil, 2, nil)
print(pk.n, pk[1], pk[2], pk[3])
