-- Division by zero: integer // and % raise errors, float ones give
-- inf/nan; the messages "attempt to perform 'n//0'" and "'n%%0'".
local function try(label, f)
  local ok, err = pcall(f)
  if ok then
    print(label, "ok", math.type(err), err)
  else
    print(label, "error", err)
  end
end
local zero, one = 0, 1
try("1//0", function() return one // zero end)
try("1%0", function() return one % zero end)
try("0//0", function() return zero // zero end)
try("0%0", function() return zero % zero end)
try("mininteger//0", function() return math.mininteger // zero end)
try("-5%0", function() return -5 % zero end)
try("1/0", function() return one / zero end)
try("-1/0", function() return -one / zero end)
try("1.0//0", function() return 1.0 // zero end)
try("1//0.0", function() return one // 0.0 end)
try("1%0.0 nan", function() local r = one % 0.0 return r ~= r end)
try("1.5%0", function() local r = 1.5 % zero return r ~= r end)
try("'1'//0", function() return "1" // zero end)
try("'4'%'0'", function() return "4" % "0" end)
try("'4.0'%'0'", function() local r = "4.0" % "0" return r ~= r end)
try("math.fmod(1,0)", function() return math.fmod(1, 0) end)
try("math.fmod(1,0.0) nan", function() local r = math.fmod(1, 0.0) return r ~= r end)
try("math.fmod(mininteger,-1)", function() return math.fmod(math.mininteger, -1) end)
try("mininteger % -1", function() return math.mininteger % -1 end)
-- constant folding must not hide the error
try("literal 1//0", function() return 1 // 0 end)
try("literal 1%0", function() return 1 % 0 end)
-- error inside a loop keeps the loop's state
local count = 0
for i = 3, -3, -1 do
  local ok, err = pcall(function() return 10 // i end)
  if ok then count = count + err else print("at", i, err) end
end
print("count", count)
