-- load: strings and reader functions (pieces, an empty piece or nil ends),
-- chunk names ("=name", "@file", default [string "..."] with truncation),
-- mode argument, env parameter, syntax errors returned as values, and
-- varargs passed to chunks.
local f = load("return 1 + 1")
print(f())
print(load("return ...")(1, 2, 3))
print(load("local a, b = ... return b, a")("x", "y"))
-- reader function
local parts = {"return ", "'con", "cat'", " .. 'ed'"}
local i = 0
local g = load(function() i = i + 1 return parts[i] end)
print(g())
-- an empty piece ends the chunk
parts = {"return 1", "", "+ 1"}
i = 0
print(load(function() i = i + 1 return parts[i] end)())
-- reader returning nil at once
print(load(function() return nil end)())
-- reader that errors
-- (called through pcall: the reader runs inside load's protected call)
print(pcall(load, function() error("reader failed") end))
-- reader returning a non-string (a number would be read as a string)
print(pcall(load, function() return {} end))
-- chunk names
print(type(load("error('x')", "=custom")))
print(pcall(load("error('x')", "=custom")))
print(pcall(load("error('x')", "@some/file.lua")))
print(pcall(load("error('x')")))
print(pcall(load("\n\nerror('line 3')")))
print(pcall(load("error('a very long chunk that goes on and on and on to be truncated in the name')")))
print(pcall(load("x = 1\nerror('first line shown')")))
-- syntax errors are returned, not raised
local cases = {
  "return +", "x = = 1", "local 1 = 2", "return 'unclosed", "if x then",
  "for i = 1 do end", "return 1 2", "f(", "x = }", "return ...",
  "function f(a,) end", "local function end", "return 0x", "x = 3e", "a.b:c = 1",
  "return --[[ unfinished comment", "::1::", "goto 5", "local t = {1, 2",
  "return \"\\400\"", "x = 1 .. 2 ..", "return not", "(f)", "a, b",
}
for _, src in ipairs(cases) do
  local fn, err = load(src, "=syntax")
  print(fn and type(fn), err)
end
-- mode
print(load("return 1", "m", "t") ~= nil)
print(load("return 1", "m", "b"))
print(pcall(load, "return 1", "m", "x"))
-- env parameter
local env = {y = 5}
local h = load("x = 10 return y", "env", "t", env)
print(h(), env.x, x)
local h2 = load("return print", "env2", "t", {})
print(h2())
-- _ENV as a local inside a chunk
print(load("local _ENV = {z = 7} return z")())
-- functions defined in a loaded chunk see the env
local env2 = {}
load("function defined() return 'from env' end", "d", "t", env2)()
print(env2.defined(), defined)
-- load with nil env: globals are nil
local h3 = load("return tostring", "nil-env", "t", nil)
print(pcall(h3))
-- load returns upvalue _ENV of the main chunk set to env
local counter = load("n = (n or 0) + 1 return n", "c", "t", {})
print(counter(), counter(), counter())
-- load of a chunk with a shebang-like first line is a syntax error
print(load("#!/usr/bin/lua\nreturn 1"))
-- a chunk starting with the binary signature is refused in text mode (Coro
-- has no string.dump; its chunks are always text)
print(load("\27Lua", "dumped", "t"))
-- dofile and loadfile of missing files
print(loadfile("/nonexistent/file.lua"))
print(pcall(dofile, "/nonexistent/file.lua"))
