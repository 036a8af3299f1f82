-- os.time and os.date corners: field validation (missing, non-integer,
-- out-of-bound), numeric strings as fields, normalisation of negative and
-- overflowing fields, every C99 conversion specifier (E and O modifiers
-- included) and the rejected ones, formats with embedded zeros, dates out
-- of range, difftime, execute's results and setlocale.
-- (The conformance runner sets TZ=UTC for both interpreters.)
local function fields(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
  return table.concat(out, " ")
end
local function try(...)
  local ok, r = pcall(...)
  print(ok, r)
end

-- validation
try(os.time, {})
try(os.time, {year = 2000})
try(os.time, {year = 2000, month = 1})
try(os.time, {month = 1, day = 1})
try(os.time, {year = 2000, month = 1, day = 1.5})
try(os.time, {year = 2000, month = {}, day = 1})
try(os.time, {year = 2000, month = 1, day = 1, hour = "x"})
try(os.time, {year = 2000, month = 1, day = 1, min = 2^31})
try(os.time, {year = 2000, month = 1, day = 1, sec = -2^31 - 1})
try(os.time, {year = 2000, month = 2^31 + 1, day = 1})
try(os.time, {year = 2000, month = -2^31 + 1, day = 1})
try(os.time, {year = 2000, month = -2^31, day = 1})
try(os.time, {year = math.maxinteger, month = 1, day = 1})
try(os.time, {year = "2000", month = "1", day = "1", hour = "0"})
try(os.time, {year = 2000.0, month = 1.0, day = 1.0, hour = 0.0})
try(os.time, {year = "2000.5", month = 1, day = 1})
try(os.time, 5)
try(os.time, "x")

-- normalisation, written back into the table
for _, t in ipairs({
  {year = 2021, month = 1, day = 1, hour = 0, min = 0, sec = -1},
  {year = 2021, month = 0, day = 1, hour = 0},
  {year = 2021, month = -13, day = 1, hour = 0},
  {year = 2021, month = 3, day = -1, hour = 0},
  {year = 2020, month = 2, day = 30, hour = 0},
  {year = 2021, month = 12, day = 31, hour = 23, min = 59, sec = 60},
  {year = 2021, month = 6, day = 15, hour = 48, min = -120, sec = 3600},
  {year = 1900, month = 1, day = 1, hour = 0},
  {year = 1600, month = 3, day = 1, hour = 0},
  {year = 3000, month = 1, day = 1, hour = 0},
  {year = 2000, month = 1, day = 1, isdst = false},
}) do
  local r = os.time(t)
  print(r, fields(t))
end

-- every conversion specifier
local fixed = 1234567890     -- 2009-02-13 23:31:30 UTC, a Friday
local one = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%"
for i = 1, #one do
  local c = one:sub(i, i)
  io.write(c, "=[", os.date("!%" .. c, fixed), "] ")
end
print()
for _, c in ipairs({"Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI", "Om",
                    "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"}) do
  io.write(c, "=[", os.date("!%" .. c, fixed), "] ")
end
print()
for _, bad in ipairs({"%i", "%E", "%Ea", "%O", "%Oz", "%5d", "%-d", "%#x", "%Q rest of it", "abc%"}) do
  try(os.date, bad, fixed)
end
print(#os.date("!a\0b%Y\0", fixed), os.date("!a\0b%Y\0", fixed) == "a\0b2009\0")
print(os.date("!%H:%M:%S", -1), os.date("!%Y-%m-%d", -2^31), os.date("!%Y", 2^40))
print(fields(os.date("!*t", fixed)))
print(fields(os.date("*t", fixed)))
print(os.date("!*t", fixed).isdst, os.date("!*tx", fixed))
try(os.date, "%Y", 2^62)
try(os.date, "*t", 1e300)
try(os.date, 5, fixed)
print(os.date(12, fixed), os.date("!%d", "1000"))

-- os.time(os.date("*t", t)) is t
for _, t in ipairs({0, 1, 86399, 951782400, 1700000000, 4102444800}) do
  io.write(tostring(os.time(os.date("*t", t)) == t), " ")
end
print()

-- difftime
print(os.difftime(10, 20), os.difftime(2^40, 0), math.type(os.difftime(1, 1)))
try(os.difftime, 1.5, 1)
try(os.difftime, "x", 1)
try(os.difftime)

-- execute
print(os.execute())
print(os.execute("exit 0"))
print(os.execute("exit 3"))
print(os.execute("kill -TERM $$"))
print(os.execute("true"))

-- setlocale
print(os.setlocale(), os.setlocale(nil, "numeric"), os.setlocale("C"))
print(os.setlocale("no_SUCH.locale-name"))
print(os.setlocale("C", "time"), os.setlocale(nil, "all"))
try(os.setlocale, nil, "everything")

-- getenv converts numbers to names
print(os.getenv(12345), os.getenv("CORO_NO_SUCH_VARIABLE_IN_THE_ENV"))
try(os.getenv, {})
