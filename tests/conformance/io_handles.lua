-- io handles: the "n" format on hard numerals (hex floats, exponents,
-- signs, the 200-character limit), read/write on "r+" and "w+" files,
-- tmpfile, popen, to-be-closed handles, the standard files refusing to
-- close, closing twice, the metatable's __name, write chaining, and the
-- errors of misused handles.
local name = os.tmpname()
local function numbers(text, count)
  local f = assert(io.open(name, "w"))
  f:write(text)
  f:close()
  f = assert(io.open(name))
  local out = {}
  for i = 1, count do
    local v = f:read("n")
    out[#out + 1] = tostring(v) .. ":" .. tostring(math.type(v))
    if v == nil then out[#out + 1] = "(" .. tostring(f:read(1)) .. ")" end
  end
  f:close()
  print(table.concat(out, " "))
end
numbers("0x1p4 0x.8 0xA.8p1 1e+2 1E-2 -0x10 +0x10 0X1P-1", 8)
numbers("- -- +- 0x 0xg .e1 . 5e+ 3.", 9)
numbers("  \t\n 42\n\n  -7", 3)
numbers("1.5.5 0x1.8.8 12abc", 6)
numbers(string.rep("1", 199) .. " " .. string.rep("2", 200) .. " " .. string.rep("3", 201), 4)
numbers("9223372036854775807 9223372036854775808 -9223372036854775808 1e400", 4)
numbers("0000012 0x0000f 00.5", 3)

-- "r+": read and write the same file
local f = assert(io.open(name, "w"))
f:write("hello world\n")
f:close()
f = assert(io.open(name, "r+"))
print(f:read(5))
print(f:seek("cur"))
f:seek("set", 6)
f:write("WORLD")
f:seek("set")
print(f:read("a"))
f:close()

-- "w+" truncates, then reads back what was written
f = assert(io.open(name, "w+"))
print(f:read("a"))
print(f:write("abc", 1, 2.5, -3):write("def") == f)
print(f:seek("set"), f:read("a"))
f:close()

-- tmpfile
local t = io.tmpfile()
print(io.type(t))
t:write("temporary\n", 123)
t:seek("set")
print(t:read("l", "n"))
print(t:read("a"), t:read(0), t:read("l"))
t:close()

-- popen
local p = io.popen("printf 'one\\ntwo\\n'")
print(p:read("l"), p:read("L"), p:read("a"))
print(p:close())
p = io.popen("exit 7")
print(p:close())
p = io.popen("cat > " .. name, "w")
p:write("through a pipe\n")
print(p:close())
print(io.open(name):read("a"))
print(pcall(io.popen, "true", "rw"))
print(pcall(io.popen, "true", "r+"))

-- to-be-closed handles
do
  local h <close> = assert(io.open(name))
  f = h
  print(io.type(h))
end
print(io.type(f), tostring(f))

-- closing twice, and every method on a closed handle
f = assert(io.open(name))
print(f:close())
for _, m in ipairs({"close", "flush", "lines", "read", "seek", "setvbuf", "write"}) do
  print(m, pcall(f[m], f))
end
print(pcall(io.close, f))
print(pcall(io.output, f))
print(pcall(io.input, f))

-- the standard files refuse to close and stay usable
print(io.stdout:close())
print(io.stderr:close())
print(io.stdin:close())
print(io.type(io.stdout), io.type(io.stderr), io.type(io.stdin))
io.stdout:write("still open\n")

-- metatable shape
local mt = getmetatable(io.stdout)
print(mt.__name, type(mt.__index), type(mt.__gc), type(mt.__close), type(mt.__tostring))
print(mt.__index == getmetatable(io.stdin).__index, mt.__index.read == io.stdin.read)

-- bad self
print(pcall(io.stdout.write, 42))
print(pcall(io.stdout.read, {}))
print(pcall(io.stdout.seek))

-- reading from a write-only file and writing to a read-only one
f = assert(io.open(name, "w"))
print(f:read("l"))
print(f:read("a"))
f:close()
f = assert(io.open(name, "r"))
print(f:write("x"))
f:close()

-- opening a directory for writing fails with an error triple
print(io.open("/", "w"))
print(select("#", io.open(name .. "/sub/dir", "r")))

-- io.output and io.input with file names, then io.write/io.read
io.output(name)
print(io.write("via default output ", 42, "\n") == io.output())
io.output():close()
print(pcall(io.write, "x"))
print(pcall(io.flush))
io.output(io.stdout)
io.input(name)
print(io.read("L"))
print(io.read("l"))
io.input():close()
io.input(io.stdin)
local ok, msg = pcall(io.output, name .. "/x")
print(ok, (msg:gsub(name, "TMP")))
print(pcall(io.input, name .. ".missing") and "opened" or "failed")
os.remove(name)
