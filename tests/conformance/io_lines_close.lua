-- io.lines and file:lines: the file io.lines(name) opens is its fourth
-- result and is closed at the end of the loop, on break and on error;
-- file:lines leaves its file open; an exhausted iterator raises "file is
-- already closed"; formats per iteration, read errors inside the loop, the
-- limit on formats, io.lines() over the default input.
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("alpha\nbeta\n\ngamma\n10 20 30\n")
f:close()

local it, s, c, file = io.lines(name)
print(type(it), s, c, io.type(file))
for l in it, s, c, file do io.write("<", l, ">") end
print()
print(io.type(file))
print(pcall(it))

-- break: the loop closes the to-be-closed file
it, s, c, file = io.lines(name)
for l in it, s, c, file do
  if l == "beta" then break end
end
print("after break", io.type(file))

-- error in the body closes it too
it, s, c, file = io.lines(name)
print(pcall(function()
  for l in it, s, c, file do error("stop at " .. l, 0) end
end))
print("after error", io.type(file))

-- formats are applied on every iteration
for a, b in io.lines(name, 2, "l") do io.write("[", a, "|", tostring(b), "]") end
print()
for l in io.lines(name, "L") do io.write(#l, " ") end
print()
local count = 0
for a, b, c in io.lines(name, "l", "l", "l") do
  count = count + 1
  io.write(tostring(a), ",", tostring(b), ",", tostring(c), ";")
end
print(count)

-- file:lines keeps the file open and goes on from where it is
f = assert(io.open(name))
print(f:read("l"))
for l in f:lines() do io.write(l, ".") end
print()
print(io.type(f), f:read("a"), f:read("l"))
print(f:seek("set", 18))
for n in f:lines("n") do io.write(n, " ") end
print(io.type(f))
f:close()
print(pcall(f.lines, f))

-- a bad format is only found when the iterator reads
local ok, msg = pcall(function()
  for l in io.lines(name, "x") do end
end)
print(ok, msg)
ok, msg = pcall(function()
  for l in io.lines(name, {}) do end
end)
print(ok, msg)

-- too many formats
local many = {}
for i = 1, 251 do many[i] = "l" end
print(pcall(io.lines, name, table.unpack(many)))
many[251] = nil
local r = table.pack(pcall(io.lines, name, table.unpack(many)))
print(r.n, r[1], type(r[2]), r[3], r[4], io.type(r[5]))

-- io.lines() with no file name reads the default input, which stays open
io.input(name)
local n = 0
for l in io.lines() do n = n + 1 end
print("default input lines", n, io.type(io.input()))
io.input():close()
print(pcall(io.lines))
print(pcall(io.read))
io.input(io.stdin)

-- reading a directory inside the loop raises the read error
ok, msg = pcall(function()
  for l in io.lines("/") do end
end)
print(ok, msg)

-- a nonexistent file raises instead of returning nil
ok, msg = pcall(io.lines, name .. ".missing")
print(ok, (msg:gsub(name, "TMP")))
os.remove(name)
