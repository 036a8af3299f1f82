-- A larger program: matrices as tables of rows (multiplication, identity,
-- transpose, Gaussian elimination for determinants and solving linear
-- systems with partial pivoting), integer matrix powers for Fibonacci,
-- and formatted output with fixed precision.
local function matmul(a, b)
  local n, m, p = #a, #b, #b[1]
  local c = {}
  for i = 1, n do
    c[i] = {}
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      c[i][j] = s
    end
  end
  return c
end
local function identity(n)
  local m = {}
  for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = i == j and 1 or 0 end end
  return m
end
local function show(m, fmt)
  for _, row in ipairs(m) do
    local cells = {}
    for j, v in ipairs(row) do cells[j] = string.format(fmt or "%8.3f", v) end
    print(table.concat(cells, " "))
  end
end
local function matpow(m, e)
  local r = identity(#m)
  while e > 0 do
    if e % 2 == 1 then r = matmul(r, m) end
    m = matmul(m, m)
    e = e // 2
  end
  return r
end
local fibm = matpow({{1, 1}, {1, 0}}, 90)
print("fib(90) =", fibm[1][2], math.type(fibm[1][2]))
local function det(m)
  local n = #m
  local a = {}
  for i = 1, n do a[i] = {table.unpack(m[i])} end
  local d = 1.0
  for col = 1, n do
    local piv = col
    for r = col + 1, n do if math.abs(a[r][col]) > math.abs(a[piv][col]) then piv = r end end
    if a[piv][col] == 0 then return 0.0 end
    if piv ~= col then a[piv], a[col] = a[col], a[piv] d = -d end
    d = d * a[col][col]
    for r = col + 1, n do
      local f = a[r][col] / a[col][col]
      for c = col, n do a[r][c] = a[r][c] - f * a[col][c] end
    end
  end
  return d
end
local function solve(m, b)
  local n = #m
  local a = {}
  for i = 1, n do a[i] = {table.unpack(m[i])} a[i][n + 1] = b[i] end
  for col = 1, n do
    local piv = col
    for r = col + 1, n do if math.abs(a[r][col]) > math.abs(a[piv][col]) then piv = r end end
    a[piv], a[col] = a[col], a[piv]
    for r = 1, n do
      if r ~= col then
        local f = a[r][col] / a[col][col]
        for c = col, n + 1 do a[r][c] = a[r][c] - f * a[col][c] end
      end
    end
  end
  local x = {}
  for i = 1, n do x[i] = a[i][n + 1] / a[i][i] end
  return x
end
local A = {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}
print(string.format("det(A) = %.6f", det(A)))
local x = solve(A, {1, 0, 1})
print(string.format("x = %.6f %.6f %.6f", x[1], x[2], x[3]))
show(matmul(A, A), "%5d")
-- Hilbert matrix
local H = {}
for i = 1, 5 do H[i] = {} for j = 1, 5 do H[i][j] = 1 / (i + j - 1) end end
print(string.format("det(H5) = %.6e", det(H)))
show(H)
local transposed = {}
for i = 1, 3 do transposed[i] = {} for j = 1, 2 do transposed[i][j] = ({{1, 2, 3}, {4, 5, 6}})[j][i] end end
show(transposed, "%3d")
print(det({{1, 2}, {2, 4}}), det(identity(6)))
