return { kind = "both.lua" }
