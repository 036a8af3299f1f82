-- io: write returning the file (chaining), numbers written with %.14g /
-- integer format, read formats "n" "l" "L" "a" and byte counts on a temp
-- file written first, several formats in one call, reading at EOF, and
-- io.read from stdin (/dev/null under the runner).
local name = os.tmpname()
local f = assert(io.open(name, "w"))
print(io.type(f), f:write("line one\n") == f)
f:write("line two\n", 42, " ", 3.5, " ", -0.0, " ", 1e100, "\n")
f:write("0x1F 12e2 -7 .5 nan 99\n")
f:write("no newline at end")
print(f:close())
print(io.type(f))
f = assert(io.open(name, "r"))
print(f:read("l"))
print(f:read("L"))
print(f:read("n", "n"))
print(f:read("n", "n", "n", "n"))
print(f:read("n"))
print(f:read("l"))
print(f:read("l"))
print(f:read(3), f:read(0), f:read(100))
print(f:read(0), f:read("l"), f:read("L"), f:read("a"), f:read("n"))
print(f:read("a") == "", f:read(1))
f:close()
-- whole file and counts
f = assert(io.open(name))
local all = f:read("a")
print(#all, select(2, all:gsub("\n", "")))
f:seek("set")
print(f:read(4, 4, "l"))
f:seek("set")
print(f:read("*l"), f:read("*L"))   -- 5.3-style format names still work
f:close()
-- read errors
f = assert(io.open(name))
print(pcall(function() return f:read("x") end))
print(pcall(function() return f:read({}) end))
f:close()
-- numbers: various formats
local nf = os.tmpname()
local w = assert(io.open(nf, "w"))
w:write("1 2.5 0x10 -3e1 +4 5. .25 1e 0x 99999999999999999999 abc")
w:close()
local r = assert(io.open(nf))
for i = 1, 12 do
  local v = r:read("n")
  io.write(tostring(v), "(", tostring(math.type(v)), ") ")
  if v == nil then r:read(1) end
end
print()
r:close()
-- io.write to stdout returns io.stdout, and interleaves with print
print(io.write("a", 1, 2.0, "\n") == io.stdout)
io.write("no newline;")
print(" then print")
print(pcall(io.write, {}))
print(pcall(io.write, nil))
-- stdin is /dev/null: reads return nil
print(io.read())
print(io.read("a"))
print(io.read("n"))
print(io.read(5))
os.remove(name)
os.remove(nf)
