-- require and package: modules written first to files next to
-- os.tmpname()'s name (package.path set to find them there), the two
-- results of require, the arguments a loader gets, package.loaded,
-- preload, modules returning nothing or false, errors from loading and
-- from running a module, custom searchers, searchpath and the
-- "module not found" list.  Only the preload and Lua-file searchers are
-- kept, so both interpreters search the same way.
local base = os.tmpname()
local function clean(s) return (tostring(s):gsub(base, "TMP")) end
local written = {}
local function module(name, source)
  local file = base .. "_" .. name .. ".lua"
  local f = assert(io.open(file, "w"))
  f:write(source)
  f:close()
  written[#written + 1] = file
end
for i = #package.searchers, 3, -1 do package.searchers[i] = nil end
package.path = base .. "_?.lua"

module("plain", [[
local name, file = ...
loads = (loads or 0) + 1
return { name = name, file = file, value = 42 }
]])
module("nothing", "loads_nothing = (loads_nothing or 0) + 1")
module("falsy", "return false")
module("selfset", [[
package.loaded[...] = "set by the module"
]])
module("selfset_return", [[
package.loaded[...] = "set by the module"
return "returned"
]])
module("syntax", "local x = = 1")
module("fails", "error('module failed: ' .. ..., 0)")
module("fails_table", "error({code = 7})")
module("nested", [[
local plain = require("plain")
return { inner = plain.value + 1, again = select("#", require("plain")) }
]])

local m, extra = require("plain")
print(type(m), m.name, clean(m.file), m.value, clean(extra), loads)
print(select("#", require("plain")), require("plain") == m, loads)
print(package.loaded.plain == m)
print(require("nested").inner, require("nested").again)

print(require("nothing"), loads_nothing, package.loaded.nothing)
print(require("nothing"), loads_nothing)

print(require("falsy"), package.loaded.falsy)
print(select("#", require("falsy")))

m, extra = require("selfset")
print(m, clean(extra))
print(require("selfset_return"), package.loaded.selfset_return)

local ok, err = pcall(require, "syntax")
print(ok, clean(err))
print(pcall(require, "fails"))
ok, err = pcall(require, "fails_table")
print(ok, type(err), err.code)
print(package.loaded.fails, package.loaded.fails_table)

-- not found
ok, err = pcall(require, "missing.module")
print(ok, clean(err))
package.path = base .. "_?.lua;;" .. base .. "/?/x.lua;"
ok, err = pcall(require, "missing")
print(ok, clean(err))
package.path = base .. "_?.lua"

-- preload
package.preload.pre = function(...)
  return { args = table.pack(...) }
end
m, extra = require("pre")
print(m.args.n, m.args[1], m.args[2], extra)
package.preload.pre_nothing = function() end
print(require("pre_nothing"))

-- custom searchers
package.searchers[#package.searchers + 1] = function(name)
  if name == "virtual" then
    return function(n, data) return "virtual module " .. n .. " " .. data end, "data"
  end
  return "\n\tno virtual module '" .. name .. "'"
end
package.searchers[#package.searchers + 1] = function(name) return nil end
package.searchers[#package.searchers + 1] = function(name) return 42 end
print(require("virtual"))
ok, err = pcall(require, "absent")
print(ok, clean(err))
package.searchers[3], package.searchers[4], package.searchers[5] = nil, nil, nil

-- misuse
print(pcall(require))
print(pcall(require, {}))
local saved = package.path
package.path = nil
print(pcall(require, "whatever"))
package.path = saved
saved = package.searchers
package.searchers = "no"
print(pcall(require, "whatever2"))
package.searchers = saved

-- searchpath
print(clean(package.searchpath("plain", package.path)))
print(package.searchpath("a.b.c", "/nonexistent/?.x;/nonexistent/?/init.x"))
print(package.searchpath("a.b.c", "/nonexistent/?.x", ""))
print(package.searchpath("a.b.c", "/nonexistent/?.x", ".", "\\"))
print(package.searchpath("a_b", "/nonexistent/?.x", "_", "::"))
print(package.searchpath("x", ";;/nonexistent/??;"))
print(pcall(package.searchpath, "x"))

-- the table itself
print(package.config)
print(package.loaded._G == _G, package.loaded.package == package,
      package.loaded.io == io, package.loaded.os == os,
      package.loaded.coroutine == coroutine)
print(type(package.preload), type(package.searchers), #package.searchers)

for _, file in ipairs(written) do os.remove(file) end
os.remove(base)
