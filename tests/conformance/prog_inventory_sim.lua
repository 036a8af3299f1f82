-- A larger program: a warehouse inventory simulation written in an
-- object-oriented style.  Classes with inheritance through __index chains;
-- Money values with __add/__sub/__mul/__eq/__lt/__le/__concat/__tostring/
-- __unm; a callable class table (__call); audited proxy tables (__newindex,
-- __index, __len); transactions as to-be-closed variables (__close);
-- goto-based retry loops; varargs with select('#') and table.pack/unpack;
-- table.sort/concat/insert/remove/move; utf8 item names; string.rep/sub/
-- byte/char/reverse; gsub with function and table replacements; and a
-- binary record format with string.pack/unpack.

local fmt = string.format

-- Class helper --------------------------------------------------------------
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent, __call = parent.__callclass}) end
  return c
end

-- Money: integer cents ------------------------------------------------------
local Money = {}
Money.__index = Money
local function money(cents)
  assert(math.type(cents) == "integer", "cents must be an integer")
  return setmetatable({cents = cents}, Money)
end
local function tomoney(v)
  if getmetatable(v) == Money then return v end
  if type(v) == "number" then return money(math.floor(v * 100 + 0.5)) end
  error("not money: " .. type(v), 2)
end
Money.__add = function(a, b) return money(tomoney(a).cents + tomoney(b).cents) end
Money.__sub = function(a, b) return money(tomoney(a).cents - tomoney(b).cents) end
Money.__mul = function(a, b)
  if type(a) == "number" then a, b = b, a end
  return money(math.floor(a.cents * b + 0.5))
end
Money.__unm = function(a) return money(-a.cents) end
Money.__eq = function(a, b) return a.cents == b.cents end
Money.__lt = function(a, b) return a.cents < b.cents end
Money.__le = function(a, b) return a.cents <= b.cents end
Money.__tostring = function(m)
  local c = m.cents
  local sign = c < 0 and "-" or ""
  c = math.abs(c)
  local whole = tostring(c // 100):reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return fmt("%s$%s.%02d", sign, whole, c % 100)
end
Money.__concat = function(a, b)
  if getmetatable(a) == Money then a = tostring(a) end
  if getmetatable(b) == Money then b = tostring(b) end
  return a .. b
end

print("-- money")
local a, b = money(123456), money(99)
print(a, b, a + b, a - b, -b, b * 3, 2.5 * b, a + 1, 0.5 + b)
print(a == money(123456), a ~= b, b < a, a <= a, a > b, b >= a)
print("total: " .. a .. " / " .. b, money(0) .. "", money(-100000))
print(pcall(money, 1.5))
print(select(2, pcall(tomoney, "x")))

-- Items and subclasses -------------------------------------------------------
local Item = class()
Item.kind = "item"
function Item.new(cls, name, sku, price, qty)
  local o = setmetatable({name = name, sku = sku, price = tomoney(price), qty = qty or 0}, cls)
  return o
end
Item.__callclass = function(cls, ...) return cls:new(...) end
setmetatable(Item, {__call = Item.__callclass})
function Item:value() return self.price * self.qty end
function Item:describe() return fmt("%-6s %-14s x%3d @ %s", self.sku, self.name, self.qty, tostring(self.price)) end
function Item:label() return self.kind .. ":" .. self.sku end
Item.__tostring = function(self) return "<" .. self:label() .. ">" end
Item.__eq = function(x, y) return x.sku == y.sku end
Item.__lt = function(x, y) return x.sku < y.sku end
Item.__le = function(x, y) return x.sku <= y.sku end

local Perishable = class(Item)
Perishable.kind = "fresh"
Perishable.__tostring = Item.__tostring
Perishable.__eq, Perishable.__lt, Perishable.__le = Item.__eq, Item.__lt, Item.__le
function Perishable.new(cls, name, sku, price, qty, days)
  local o = Item.new(cls, name, sku, price, qty)
  o.days = days
  return o
end
function Perishable:describe()
  return Item.describe(self) .. fmt(" (%d day%s left)", self.days, self.days == 1 and "" or "s")
end
function Perishable:age()
  if self.days > 0 then self.days = self.days - 1 end
  if self.days == 0 then self.qty = 0 end
end

local Bundle = class(Item)
Bundle.kind = "bundle"
Bundle.__tostring = Item.__tostring
Bundle.__len = function(self) return #self.parts end
function Bundle.new(cls, name, sku, ...)
  local parts = table.pack(...)
  local o = Item.new(cls, name, sku, 0, 1)
  o.parts = {}
  for i = 1, parts.n do o.parts[i] = parts[i] end
  return o
end
function Bundle:value()
  local total = money(0)
  for _, p in ipairs(self.parts) do total = total + p:value() end
  return total * 0.9
end

print("-- items")
local apple = Perishable("Äpfel", "F-001", 0.45, 120, 3)
local bread = Perishable("Brot", "F-002", 2.10, 30, 1)
local hammer = Item("Hammer", "T-100", 12.99, 7)
local nails = Item("Nägel ×100", "T-101", 3.5, 40)
local saw = Item:new("Säge", "T-102", 18, 2)
local kit = Bundle("Werkzeugset", "B-900", hammer, nails, saw)
for _, it in ipairs({apple, bread, hammer, nails, saw}) do print(it:describe()) end
print(tostring(kit), #kit, kit:value(), kit.kind, kit.price, rawget(kit, "kind"))
print(apple == Perishable("other", "F-001", 1, 1, 1), apple ~= bread, hammer < nails, saw <= saw)
print(getmetatable(apple) == Perishable, getmetatable(Perishable).__index == Item, apple.value == Item.value)

-- Inventory with an audited proxy -------------------------------------------
local function audited(name, log)
  local store = {}
  local proxy = setmetatable({}, {
    __index = function(_, k) return store[k] end,
    __newindex = function(_, k, v)
      local old = store[k]
      if v == nil then
        log[#log + 1] = fmt("%s: remove %s", name, k)
      elseif old == nil then
        log[#log + 1] = fmt("%s: add %s", name, k)
      else
        log[#log + 1] = fmt("%s: replace %s", name, k)
      end
      rawset(store, k, v)
    end,
    __len = function() local n = 0 for _ in pairs(store) do n = n + 1 end return n end,
    __pairs = function() return next, store, nil end,
  })
  return proxy
end

local log = {}
local stock = audited("stock", log)
for _, it in ipairs({apple, bread, hammer, nails, saw, kit}) do stock[it.sku] = it end
stock["T-102"] = saw
stock["B-900"] = nil
print("-- stock", #stock, rawlen(stock), rawget(stock, "F-001"), stock["F-001"].name)
local skus = {}
for k in pairs(stock) do skus[#skus + 1] = k end
table.sort(skus, function(x, y) return x > y end)
print(table.concat(skus, ","))
print(table.concat(log, "; "))

-- Transactions with <close> ------------------------------------------------
local journal = {}
local function transaction(name)
  local tx = {name = name, ops = {}, committed = false}
  return setmetatable(tx, {
    __close = function(self, err)
      if err ~= nil then
        for i = #self.ops, 1, -1 do self.ops[i].undo() end
        journal[#journal + 1] = fmt("%s: rolled back %d op(s) (%s)", self.name, #self.ops,
          type(err) == "table" and err.reason or tostring(err))
      else
        journal[#journal + 1] = fmt("%s: %s %d op(s)", self.name,
          self.committed and "committed" or "abandoned", #self.ops)
        if not self.committed then for i = #self.ops, 1, -1 do self.ops[i].undo() end end
      end
    end,
  })
end

local function take(tx, sku, n)
  local it = stock[sku]
  if not it then error({reason = "unknown sku " .. sku}) end
  if it.qty < n then error({reason = fmt("short on %s: have %d, need %d", sku, it.qty, n)}) end
  it.qty = it.qty - n
  tx.ops[#tx.ops + 1] = {undo = function() it.qty = it.qty + n end}
end

local function order(name, lines, commit)
  local tx <close> = transaction(name)
  for _, l in ipairs(lines) do take(tx, l[1], l[2]) end
  tx.committed = commit ~= false
  return #lines
end

print("-- orders")
local function try(...)
  local r = table.pack(pcall(...))
  if not r[1] and type(r[2]) == "table" then r[2] = "error{" .. r[2].reason .. "}" end
  return table.unpack(r, 1, r.n)
end
print(try(order, "o1", {{"T-100", 2}, {"T-101", 5}}))
print(try(order, "o2", {{"T-100", 1}, {"F-002", 50}}))
print(try(order, "o3", {{"T-102", 1}}, false))
print(try(order, "o4", {{"T-101", 1}, {"X-000", 1}}))
do
  local t1 <close> = transaction("outer")
  do
    local t2 <close> = transaction("inner")
    take(t2, "F-001", 20)
    t2.committed = true
  end
  take(t1, "F-001", 10)
end
print(table.concat(journal, "\n"))
print(hammer.qty, nails.qty, saw.qty, bread.qty, apple.qty)

-- Restocking with goto-based retries ----------------------------------------
print("-- restock")
local supplier = {
  ["T-100"] = {fails = 2, batch = 5},
  ["T-101"] = {fails = 0, batch = 100},
  ["F-002"] = {fails = 5, batch = 24},
}
local function restock(sku)
  local s = supplier[sku]
  local attempt = 0
  ::retry::
  attempt = attempt + 1
  if attempt > 3 then return false, attempt - 1 end
  if s.fails > 0 then
    s.fails = s.fails - 1
    goto retry
  end
  stock[sku].qty = stock[sku].qty + s.batch
  return true, attempt
end
for _, sku in ipairs({"T-100", "T-101", "F-002"}) do
  print(sku, restock(sku), stock[sku].qty)
end
-- a nested loop with continue-style goto
local lowstock = {}
for _, sku in ipairs(skus) do
  local it = stock[sku]
  if it.qty >= 20 then goto continue end
  lowstock[#lowstock + 1] = fmt("%s(%d)", sku, it.qty)
  ::continue::
end
print("low:", table.concat(lowstock, " "))

-- Aging perishables over days -------------------------------------------------
for day = 1, 3 do
  for _, sku in ipairs({"F-001", "F-002"}) do stock[sku]:age() end
  print(fmt("day %d: %s | %s", day, stock["F-001"]:describe(), stock["F-002"]:describe()))
end

-- Varargs utilities ----------------------------------------------------------
print("-- varargs")
local function count(...) return select("#", ...) end
local function last(...) local n = select("#", ...) if n == 0 then return nil end return (select(n, ...)) end
local function sum(...)
  local t = table.pack(...)
  local s = money(0)
  for i = 1, t.n do if t[i] ~= nil then s = s + t[i]:value() end end
  return s, t.n
end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
print(last(1, 2, 3), last(), last(nil, "z"), select(-2, "a", "b", "c"))
print(sum(hammer, nil, nails, saw))
local packed = table.pack(1, nil, 3)
print(packed.n, table.unpack(packed, 1, packed.n))
print(table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 5))
print(pcall(select, 0, "a"))

-- Reports: sorting, table functions ------------------------------------------
print("-- report")
local items = {}
for _, sku in ipairs(skus) do items[#items + 1] = stock[sku] end
table.sort(items, function(x, y)
  local vx, vy = x:value(), y:value()
  if vx ~= vy then return vx > vy end
  return x.sku < y.sku
end)
for i, it in ipairs(items) do print(fmt("%2d. %-8s %12s", i, it.sku, tostring(it:value()))) end
table.sort(items)
local names = {}
for i, it in ipairs(items) do names[i] = it.sku end
print(table.concat(names, " < "))
table.insert(names, 1, "FIRST")
table.insert(names, "LAST")
table.insert(names, 3, "THIRD")
print(table.concat(names, ","), #names)
print(table.remove(names), table.remove(names, 1), table.remove(names, 2), #names)
print(table.concat(names, ","))
local moved = table.move(names, 1, 3, 2, {"x"})
print(table.concat(moved, ","), table.concat(table.move({1, 2, 3, 4, 5}, 2, 5, 1), ","))
print(table.concat({}, ","), table.concat({1, 2.5, "z"}, "-", 2), table.concat({"a", "b", "c"}, "", 2, 3))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.insert, {1, 2}, 5, 0))

-- utf8 and string work ------------------------------------------------------
print("-- text")
for _, it in ipairs({apple, nails, saw}) do
  local n = it.name
  local cps = {}
  for _, c in utf8.codes(n) do cps[#cps + 1] = fmt("U+%04X", c) end
  print(n, #n, utf8.len(n), table.concat(cps, " "))
end
print(utf8.char(72, 228, 8364, 128512), utf8.codepoint("ä€", 1, -1))
print(utf8.offset("Äpfel", 2), utf8.offset("Äpfel", -1), utf8.len("\xff"), (utf8.charpattern:gsub("[\x80-\xff]", function(c) return fmt("\\x%02X", c:byte()) end)))
local up = {["ä"] = "ae", ["ö"] = "oe", ["ü"] = "ue", ["Ä"] = "Ae", ["ß"] = "ss", ["×"] = "x"}
for _, s in ipairs({"Äpfel", "Nägel ×100", "Säge", "Straße"}) do
  print((s:gsub(utf8.charpattern, up)), (s:gsub("[\xc3]", "?"):gsub("[\x80-\xbf]", "#")))
end
local s = "Warehouse"
print(s:sub(1, 4), s:sub(-5), s:sub(3, -3), s:sub(0), s:sub(10), s:sub(-100, 2), s:reverse())
print(s:byte(1), s:byte(-1), s:byte(1, 3), string.char(s:byte(1, -1)) == s, s:upper(), s:lower())
print(("ab"):rep(3), ("ab"):rep(3, "|"), ("x"):rep(0), ("x"):rep(-1), #("abc"):rep(100))
local tpl = "Item ${sku} costs ${price}; stock ${qty} (${missing})"
print((tpl:gsub("%${(%w+)}", function(k) local v = hammer[k] return v and tostring(v) end)))
print(tpl:gsub("%${(%w+)}", {sku = "T-100", qty = 7, price = false}))
print(("hello world from lua"):gsub("(%w+)", "<%1>", 2))
print(("a,b,,c"):gsub(",", ";"), ("abc"):gsub("", "-"), ("abc"):gsub(".", {a = 1, b = false}))
print(pcall(string.gsub, "abc", ".", {b = true}))
print(pcall(string.gsub, "abc", "(.)", "%2"))
print(("x = 1, y = 22"):gsub("(%w+) = (%d+)", "%2=%1 [%0]"), ("50%"):gsub("%%", "%%%%"))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|", ("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"), string.find("a.b.c", ".", 1, true), string.find("abc", "b()"))

-- Binary records with string.pack ------------------------------------------
print("-- binary")
local recfmt = "<s1i4i2Bd"
local blob = {}
for _, it in ipairs(items) do
  blob[#blob + 1] = string.pack(recfmt, it.sku, it.price.cents, it.qty, #it.kind, it.price.cents / 100)
end
local data = table.concat(blob)
print(#data, string.packsize("<i4i2Bd"), string.packsize(">I3"), string.packsize("!8i1d"))
local pos, n = 1, 0
while pos <= #data do
  local sku, cents, qty, klen, price
  sku, cents, qty, klen, price, pos = string.unpack(recfmt, data, pos)
  n = n + 1
  print(fmt("%d %s %d %d %d %.2f", n, sku, cents, qty, klen, price))
end
local hdr = string.pack(">I2I4i8", 0xBEEF, 0xDEADBEEF, -2)
print(#hdr, (hdr:gsub(".", function(c) return fmt("%02x", c:byte()) end)))
print(string.unpack(">I2I4i8", hdr))
print(string.unpack("<i2", "\xff\x7f"), string.unpack("<I2", "\xff\xff"), string.unpack("z", "abc\0def"))
print(pcall(string.pack, "i1", 200))
print(pcall(string.unpack, "i4", "abc"))

-- Final valuation -------------------------------------------------------------
local total = money(0)
for _, it in ipairs(items) do total = total + it:value() end
print("-- total", total, total * 1.19, total > money(50000), tostring(total):len())
