-- type, tostring and tonumber on every type (addresses are never printed:
-- only their shape), math.type, and print of every kind of value. A thread's
-- tostring is only compared up to its address: Coro appends where it is
-- suspended (SPEC section 2).
local co = coroutine.create(function() end)
local values = {nil, true, false, 0, -1, 2.5, "", "str", {}, print, function() end, co, io.stdout}
for i = 1, 13 do
  local v = values[i]
  local s = tostring(v)
  local shape = s:gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR"):gsub("^(thread: ADDR).*", "%1")
  print(i, type(v), shape, tonumber(v), math.type(v))
end
print(type(type), type(nil), pcall(type))
print(type(io.stdout), io.type(io.stdout), io.type(42))
-- tostring of functions and tables is stable and unique per object
local t1, t2 = {}, {}
print(tostring(t1) == tostring(t1), tostring(t1) ~= tostring(t2))
print(tostring(print) == tostring(print))
-- print separates with tabs and ends with a newline, calling tostring
print(1, "two", 3.0, nil, false)
print()
print(nil)
print("")
print("a\0b")
print(("x"):rep(3), #"\n")
-- print uses __tostring and __name
print(setmetatable({}, {__tostring = function() return "obj" end}))
-- tostring on numbers keeps the subtype visible
print(tostring(1), tostring(1.0), tostring(-0.0), tostring(1e300 * 1e300))
-- tonumber never converts non-strings except numbers
print(tonumber(true), tonumber({}), tonumber(nil), tonumber(print))
