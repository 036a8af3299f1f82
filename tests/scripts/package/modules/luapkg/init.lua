return { kind = "luapkg/init.lua" }
