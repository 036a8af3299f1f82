-- A larger program: a text report with string.format columns: parsing a
-- fixed CSV-like data set, grouping and aggregating, sorting by several
-- keys, and printing aligned tables with totals, percentages, and
-- right/left alignment.
local data = [[
region,product,units,price
north,widget,120,2.50
south,widget,80,2.50
north,gadget,15,19.99
east,widget,200,2.45
west,gizmo,7,149.00
south,gadget,22,19.99
east,gizmo,3,155.50
north,widget,60,2.55
west,widget,90,2.50
east,gadget,41,18.75
south,gizmo,5,149.00
west,gadget,30,19.49
]]
local rows, header = {}, nil
for line in data:gmatch("[^\n]+") do
  local fields = {}
  for f in line:gmatch("[^,]+") do fields[#fields + 1] = f end
  if not header then header = fields
  else
    local r = {}
    for i, h in ipairs(header) do r[h] = tonumber(fields[i]) or fields[i] end
    rows[#rows + 1] = r
  end
end
print(string.format("%d rows, columns: %s", #rows, table.concat(header, " | ")))
local by_region, by_product, total = {}, {}, 0
for _, r in ipairs(rows) do
  local revenue = r.units * r.price
  total = total + revenue
  by_region[r.region] = (by_region[r.region] or 0) + revenue
  local p = by_product[r.product] or {units = 0, revenue = 0, n = 0}
  p.units, p.revenue, p.n = p.units + r.units, p.revenue + revenue, p.n + 1
  by_product[r.product] = p
end
local line = string.rep("-", 44)
print(line)
print(string.format("%-10s %12s %10s %8s", "region", "revenue", "share", "bar"))
print(line)
local regions = {}
for k in pairs(by_region) do regions[#regions + 1] = k end
table.sort(regions, function(a, b) return by_region[a] > by_region[b] end)
for _, reg in ipairs(regions) do
  local share = by_region[reg] / total * 100
  print(string.format("%-10s %12.2f %9.1f%% %-8s", reg, by_region[reg], share, string.rep("*", math.floor(share / 5))))
end
print(line)
print(string.format("%-10s %12.2f %9.1f%%", "TOTAL", total, 100))
print()
print(string.format("%-8s|%6s|%10s|%8s|%9s", "product", "units", "revenue", "avg", "orders"))
local products = {}
for k in pairs(by_product) do products[#products + 1] = k end
table.sort(products)
for _, p in ipairs(products) do
  local d = by_product[p]
  print(string.format("%-8s|%6d|%10.2f|%8.3f|%9d", p, d.units, d.revenue, d.revenue / d.units, d.n))
end
print()
-- sort rows by region then revenue descending
table.sort(rows, function(a, b)
  if a.region ~= b.region then return a.region < b.region end
  return a.units * a.price > b.units * b.price
end)
for i, r in ipairs(rows) do
  print(string.format("%3d. %-6s %-7s %5d x %7.2f = %9.2f", i, r.region, r.product, r.units, r.price, r.units * r.price))
end
-- numbers in several notations
for _, v in ipairs({0, 1, 12.5, 1234.5678, 1e6, -0.001, 2^31}) do
  print(string.format("[%10.3f] [%-12g] [%+.2e] [%08.2f] [%x]", v, v, v, v, math.floor(math.abs(v))))
end
