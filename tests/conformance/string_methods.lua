-- String methods through the string metatable: ("x"):rep(3), s:format,
-- method calls on literals and numbers-as-strings, indexing a string with
-- a missing method, extending the string table, and s:len vs #s.
print(("x"):rep(3), ("abc"):upper(), ("%d-%d"):format(1, 2), ("hello"):sub(2, 3))
local s = "Hello, World"
print(s:lower(), s:len(), #s, s:byte(1), s:find("World"), s:match("%a+"))
print(s:gsub("o", "0"))
print(s:reverse():upper())
for w in s:gmatch("%a+") do io.write(w, ";") end
print()
print(("a,b,c"):rep(2, "|"):gsub(",", ""))
-- chained methods
print(("  padded  "):match("^%s*(.-)%s*$"):upper():rep(2, "-"))
-- string table extensions are visible as methods
function string.shout(str) return str:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
print(pcall(function() return ("hey"):shout() end))
-- indexing a string with a non-method key gives nil
print(("abc").nothing, ("abc")[1])
-- numbers are not strings: no methods
print(pcall(function() local n = 5 return n:rep(2) end))
-- the method call evaluates the receiver once
local calls = 0
local function get() calls = calls + 1 return "v" end
print(get():rep(3), calls)
-- string methods with string.format %s of various values
print(("%s|%s|%s"):format(nil, true, 1.5))
-- long strings and escapes via methods
print(([[a
b]]):gsub("\n", "\\n"))
-- comparing method results
print(("abc"):upper() == "ABC", ("B"):byte() - ("A"):byte())
-- split and join helpers
local function split(str, sep)
  local out = {}
  for piece in (str .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
local parts = split("a.b..c", ".")
print(#parts, table.concat(parts, "|"))
