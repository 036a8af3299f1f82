-- queens: counts all solutions of the N-queens problem by backtracking
-- with boolean arrays for columns and diagonals; measures recursion,
-- array access and branches.
local N = tonumber(arg and arg[1]) or 12
local cols, d1, d2 = {}, {}, {}
local function place(row)
  if row > N then return 1 end
  local count = 0
  for c = 1, N do
    local a, b = row + c, row - c + N
    if not cols[c] and not d1[a] and not d2[b] then
      cols[c], d1[a], d2[b] = true, true, true
      count = count + place(row + 1)
      cols[c], d1[a], d2[b] = false, false, false
    end
  end
  return count
end
local total = 0
local runs = 2
for r = 1, runs do total = total + place(1) end
print(string.format("queens(%d) = %d (%d runs)", N, math.floor(total / runs), runs))
