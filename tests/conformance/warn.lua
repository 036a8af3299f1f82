-- warn checks its arguments as Lua 5.4 does; messages go to standard
-- error only when switched on (not compared here), so this prints nothing
-- of theirs.
print(pcall(warn))
print(pcall(warn, "x", {}))
print(pcall(warn, 1, 2))
print(pcall(warn, "@unknown"))
print(pcall(warn, "@off"))
print(warn("not shown"))
print(type(warn))
