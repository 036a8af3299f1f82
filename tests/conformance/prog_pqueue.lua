-- A larger program: a binary-heap priority queue with a custom
-- comparator, used for heapsort, for Dijkstra's shortest paths on a
-- fixed graph, and for merging k sorted lists; checked against
-- table.sort.
local Heap = {}
Heap.__index = Heap
function Heap.new(less) return setmetatable({n = 0, less = less or function(a, b) return a < b end}, Heap) end
function Heap:push(v)
  self.n = self.n + 1
  local i = self.n
  self[i] = v
  while i > 1 do
    local p = i // 2
    if self.less(self[i], self[p]) then self[i], self[p] = self[p], self[i] i = p else break end
  end
end
function Heap:pop()
  if self.n == 0 then return nil end
  local top = self[1]
  self[1] = self[self.n]
  self[self.n] = nil
  self.n = self.n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.n and self.less(self[l], self[m]) then m = l end
    if r <= self.n and self.less(self[r], self[m]) then m = r end
    if m == i then break end
    self[i], self[m] = self[m], self[i]
    i = m
  end
  return top
end
function Heap:__len() return self.n end
-- heapsort with a deterministic LCG
local seed = 12345
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
local data = {}
for i = 1, 2000 do data[i] = rand(100000) end
local h = Heap.new()
for _, v in ipairs(data) do h:push(v) end
local sorted = {}
while #h > 0 do sorted[#sorted + 1] = h:pop() end
local ref = {table.unpack(data)}
table.sort(ref)
local same = #sorted == #ref
for i = 1, #ref do if sorted[i] ~= ref[i] then same = false end end
print("heapsort", #sorted, same, sorted[1], sorted[1000], sorted[2000])
-- max-heap with records
local mh = Heap.new(function(a, b) return a.pri > b.pri or (a.pri == b.pri and a.name < b.name) end)
for i, name in ipairs({"write", "read", "exec", "idle", "net", "disk"}) do mh:push({name = name, pri = (i * 7) % 4}) end
local order = {}
while #mh > 0 do local t = mh:pop() order[#order + 1] = t.name .. t.pri end
print(table.concat(order, " "))
-- Dijkstra
local graph = {
  A = {B = 7, C = 9, F = 14}, B = {A = 7, C = 10, D = 15}, C = {A = 9, B = 10, D = 11, F = 2},
  D = {B = 15, C = 11, E = 6}, E = {D = 6, F = 9}, F = {A = 14, C = 2, E = 9},
}
local function dijkstra(src)
  local dist, prev = {[src] = 0}, {}
  local pq = Heap.new(function(a, b) return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2]) end)
  pq:push({0, src})
  while #pq > 0 do
    local d, u = table.unpack(pq:pop())
    if d <= dist[u] then
      local nbrs = {}
      for v in pairs(graph[u]) do nbrs[#nbrs + 1] = v end
      table.sort(nbrs)
      for _, v in ipairs(nbrs) do
        local nd = d + graph[u][v]
        if dist[v] == nil or nd < dist[v] then dist[v] = nd prev[v] = u pq:push({nd, v}) end
      end
    end
  end
  return dist, prev
end
local dist, prev = dijkstra("A")
for _, node in ipairs({"A", "B", "C", "D", "E", "F"}) do
  local path, n = {}, node
  while n do table.insert(path, 1, n) n = prev[n] end
  print(node, dist[node], table.concat(path, "->"))
end
-- k-way merge
local lists = {{1, 5, 9, 13}, {2, 6, 10}, {0, 3, 4, 20}, {}}
local kh = Heap.new(function(a, b) return a.v < b.v end)
for li, l in ipairs(lists) do if l[1] then kh:push({v = l[1], li = li, i = 1}) end end
local merged = {}
while #kh > 0 do
  local e = kh:pop()
  merged[#merged + 1] = e.v
  local nx = lists[e.li][e.i + 1]
  if nx then kh:push({v = nx, li = e.li, i = e.i + 1}) end
end
print(table.concat(merged, " "))
print(Heap.new():pop(), #Heap.new())
