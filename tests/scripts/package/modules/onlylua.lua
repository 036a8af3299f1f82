return { kind = "onlylua.lua", args = { ... } }
