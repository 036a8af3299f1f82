-- Comparisons between integers and floats: exact mathematical comparison
-- even for huge values beyond 2^53, NaN, infinities, mixed-type equality.
local function row(a, b)
  print(string.format("%-22s %-22s  == %-5s < %-5s <= %-5s > %-5s >= %-5s",
    tostring(a), tostring(b), tostring(a == b), tostring(a < b),
    tostring(a <= b), tostring(a > b), tostring(a >= b)))
end
local maxi, mini = math.maxinteger, math.mininteger
local cases = {
  {1, 1.0}, {1, 1.5}, {2, 1.5}, {-1, -1.0}, {0, -0.0},
  {maxi, 2^63}, {maxi, 2.0^63 - 1024}, {mini, -2^63}, {mini, -2^63 - 2048},
  {mini + 1, -2^63}, {2^53, 2^53 + 1}, {(1 << 53) + 1, 2^53},
  {(1 << 53) + 1, 2^53 + 2}, {9007199254740993, 9007199254740992.0},
  {maxi, math.huge}, {mini, -math.huge}, {3, 0/0}, {0/0, 3},
  {math.huge, math.huge}, {-math.huge, math.huge},
  {maxi, maxi + 0.0}, {maxi - 1, maxi + 0.0},
  {1 << 62, 2.0^62}, {(1 << 62) + 1, 2.0^62},
}
for _, c in ipairs(cases) do row(c[1], c[2]) end

-- equality of values of different types is always false, never an error
print(1 == "1", "1" == 1, 0 == false, nil == false, "a" == "a")
print(1 ~= "1", {} == {}, "abc" < "abd", "Z" < "a", "" < "a", "a" < "aa")
print("a\0b" < "a\0c", "a\0" > "a", "10" < "9", "abc" <= "abc")
-- mixed comparison raises an error
for _, pair in ipairs({{1, "1"}, {"1", 1}, {{}, 1}, {true, false}, {nil, 1}}) do
  local ok, err = pcall(function() return pair[1] < pair[2] end)
  print(ok, err)
end
print(pcall(function() return {} <= {} end))
print(pcall(function() return print < print end))
print(pcall(function() return 1 >= "x" end))
-- table keys: float keys with integer values are normalised to integers
local t = {}
t[1] = "int"; t[1.0] = "float one"; t[2^53] = "big"
print(t[1], t[2^53 | 0], math.type(next({[3.0] = true})))
t = {}
t[2.5] = "frac"; t["2.5"] = "string"
print(t[2.5], t["2.5"], t[5/2])
-- sorting mixed integers and floats
local arr = {3, 1.5, -2, 2^62, -0.5, 7, 1, maxi, mini, 2.0}
table.sort(arr)
local out = {}
for i, v in ipairs(arr) do out[i] = tostring(v) end
print(table.concat(out, " "))
-- math.max/min keep the subtype of the winner
print(math.max(1, 2.0), math.max(2.0, 1), math.min(1, 1.0), math.min(1.0, 1))
print(math.type(math.max(3, 2.5)), math.type(math.max(2.5, 3)))
