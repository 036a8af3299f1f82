-- os library: time with tables (and normalisation of out-of-range
-- fields), date with fixed times in UTC ("!" formats, "*t" and "!*t"),
-- difftime, clock's type, getenv of a missing variable, remove and
-- rename on temporary files with their error returns, tmpname.
-- (The conformance runner sets TZ=UTC for both interpreters.)
local function fields(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
  return table.concat(out, " ")
end
print(math.type(os.time()), type(os.clock()), math.type(os.clock()))
local t0 = os.time({year = 2000, month = 1, day = 1, hour = 0})
print(t0, math.type(t0))
print(os.time({year = 2000, month = 1, day = 1}))           -- hour defaults to 12
print(os.time({year = 2024, month = 2, day = 29, hour = 23, min = 59, sec = 59}))
print(os.time({year = 2024, month = 13, day = 1, hour = 0}))  -- month 13 -> next January
print(os.time({year = 2024, month = 3, day = 0, hour = 0}))   -- day 0 -> last day of February
print(os.time({year = 2024, month = 1, day = 1, hour = -1}))
print(os.time({year = 2024, month = 1, day = 1, hour = 0, min = 90, sec = -30}))
print(os.time({year = 1970, month = 1, day = 1, hour = 0}))
print(pcall(os.time, {year = 2000}))
print(pcall(os.time, {year = 2000, month = "x", day = 1}))
print(pcall(os.time, {year = 2000, month = 1.5, day = 1}))
-- the table passed to os.time is normalised in place
local nt = {year = 2023, month = 14, day = 35, hour = 10}
os.time(nt)
print(fields(nt))
-- dates in UTC
local fixed = 1700000000
print(os.date("!%Y-%m-%d %H:%M:%S", fixed))
print(os.date("!%A %a %B %b %d %j %U %W %w %y %p %I", fixed))
print(os.date("!%c", fixed))
print(os.date("!%x %X %D %T %R %F", fixed))
print(os.date("!%e|%n|%t|%%|%h|%G|%g|%V|%u|%C|%z", fixed):gsub("\n", "\\n"):gsub("\t", "\\t"))
print(fields(os.date("!*t", fixed)))
print(fields(os.date("!*t", 0)))
print(fields(os.date("*t", 86400 * 365)))
print(os.date("!%Y-%m-%d", 0), os.date("!%Y-%m-%d", -86400), os.date("!%H:%M", 3600 * 25))
print(os.date("!literal text only", fixed))
print(os.date("!", fixed) == "")
print(type(os.date()), type(os.date("%c")))
-- round trip through *t and time
local back = os.time(os.date("*t", fixed))
print(back == fixed)
print(pcall(os.date, "%Q", fixed))
print(pcall(os.date, "%E", fixed))
print(pcall(os.date, "%", fixed))
print(pcall(os.date, "!%Y", "x"))
print(pcall(os.date, "!%Y", 1.5))
-- difftime
print(os.difftime(fixed + 60, fixed), math.type(os.difftime(10, 5)), pcall(os.difftime, 5))
-- getenv
print(os.getenv("CORO_CONFORMANCE_SURELY_MISSING_VARIABLE"))
print(type(os.getenv("PATH")))
print(pcall(os.getenv))
-- files: rename and remove with error returns
local name = os.tmpname()
print(type(name))
local f = assert(io.open(name, "w"))
f:write("data")
f:close()
local newname = name .. ".renamed"
print(os.rename(name, newname))
local r1, m1, c1 = os.rename(name, newname)
print(r1, (m1:gsub(name, "TMP", 1)), c1)
print(os.remove(newname))
local r2, m2, c2 = os.remove(newname)
print(r2, (m2:gsub(newname:gsub("%p", "%%%0"), "TMP")), c2)
print(os.remove("/nonexistent-dir/x"))
print(pcall(os.remove))
-- remove a directory that is not empty
print(select(3, os.remove("/")) ~= nil)
