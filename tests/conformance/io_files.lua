-- io files: open modes and the failure return (nil, message, errno),
-- invalid modes, seek (set/cur/end, offsets, errors), io.lines and
-- file:lines with formats, io.type, closed-file errors, io.output and
-- io.input redirection, append mode, and tostring shapes.
local name = os.tmpname()
local function shape(s) return (tostring(s):gsub("0x%x+", "ADDR")) end
print(io.open("/nonexistent/dir/file", "r"))
print(io.open("/nonexistent/dir/file", "w"))
print(pcall(io.open, name, "rw"))
print(pcall(io.open, name, "z"))
print(pcall(io.open, name, "r+b") ~= nil)
print(pcall(io.open))
local f = assert(io.open(name, "wb"))
f:write("0123456789\nsecond\nthird\n")
f:close()
f = assert(io.open(name, "r"))
print(f:seek(), f:seek("end"), f:seek("set", 5), f:read(3), f:seek("cur"), f:seek("cur", -2), f:read(2))
print(f:seek("set", 100), f:read(1))
print(f:seek("set", -1))
print(pcall(function() return f:seek("bad") end))
print(pcall(function() return f:seek("set", 1.5) end))
f:close()
-- append mode
f = assert(io.open(name, "a"))
f:write("appended\n")
f:close()
-- io.lines with formats
for l in io.lines(name) do io.write("[", l, "]") end
print()
for a, b in io.lines(name, 1, 2) do io.write(a, "|", b, " ") break end
print()
for n in io.lines(name, "n") do io.write(tostring(n), " ") end
print()
for l in io.lines(name, "L") do io.write(#l, " ") end
print()
local count = 0
for c in io.lines(name, 4) do count = count + 1 end
print("chunks", count)
print(pcall(io.lines, "/nonexistent/file"))
-- file:lines keeps the file open
f = assert(io.open(name))
for l in f:lines() do if l == "second" then break end end
print(f:read("l"))
print(io.type(f))
f:close()
-- closed file operations
print(io.type(f), shape(f))
print(pcall(f.read, f))
print(pcall(f.write, f, "x"))
print(pcall(f.lines, f))
print(pcall(f.seek, f))
print(pcall(f.close, f))
-- io.type on other values
print(io.type(io.stdout), io.type(io.stderr), io.type(42), io.type({}), io.type(nil))
print(shape(io.stdout):match("^file %(ADDR%)$") ~= nil)
-- io.output / io.input redirection
local out = os.tmpname()
local old = io.output()
io.output(out)
io.write("redirected ", 1, "\n")
print(io.output() ~= old)
io.close()
io.output(old)
io.input(out)
print(io.read("L"))
io.close(io.input())
io.input(io.stdin)
print(pcall(io.close))      -- the standard files cannot be closed
-- file:write errors and setvbuf/flush return values
f = assert(io.open(name, "r"))
print(f:write("x"))
print(f:flush())
print(f:setvbuf("no"), f:setvbuf("full", 1024), f:setvbuf("line"))
print(pcall(function() return f:setvbuf("weird") end))
f:close()
-- reading a directory fails with an error return
local d = io.open("/", "r")
if d then print(d:read(1)) d:close() else print("open dir failed") end
os.remove(name)
os.remove(out)
