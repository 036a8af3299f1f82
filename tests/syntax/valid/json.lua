-- A small JSON codec: a reader object over the text, a writer that keeps
-- a path for error messages, string escapes and UTF-8 output.

local Reader = {}
Reader.__index = Reader

local function new_reader(text)
  return setmetatable({ text = text, pos = 1 }, Reader)
end

function Reader:fail(what)
  local line, col = 1, 1
  for i = 1, self.pos - 1 do
    if self.text:byte(i) == 10 then line, col = line + 1, 1 else col = col + 1 end
  end
  error(("json: %s at %d:%d"):format(what, line, col), 0)
end

function Reader:peek()
  return self.text:sub(self.pos, self.pos)
end

function Reader:skip_space()
  local _, stop = self.text:find("^[ \t\r\n]*", self.pos)
  self.pos = stop + 1
end

function Reader:expect(word)
  if self.text:sub(self.pos, self.pos + #word - 1) ~= word then
    self:fail("expected '" .. word .. "'")
  end
  self.pos = self.pos + #word
end

local function utf8_of(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then
    return string.char(0xC0 | (cp >> 6), 0x80 | (cp & 0x3F))
  end
  if cp < 0x10000 then
    return string.char(0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F))
  end
  return string.char(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F),
                     0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F))
end

local simple_escapes = {
  ['"'] = '"', ["\\"] = "\\", ["/"] = "/",
  b = "\b", f = "\f", n = "\n", r = "\r", t = "\t",
}

function Reader:hex4()
  local digits = self.text:match("^%x%x%x%x", self.pos)
  if not digits then self:fail("bad \\u escape") end
  self.pos = self.pos + 4
  return tonumber(digits, 16)
end

function Reader:string()
  self.pos = self.pos + 1                  -- opening quote
  local parts = {}
  while true do
    local run_end = self.text:find('["\\%c]', self.pos)
    if not run_end then self:fail("unfinished string") end
    parts[#parts + 1] = self.text:sub(self.pos, run_end - 1)
    self.pos = run_end
    local c = self:peek()
    if c == '"' then
      self.pos = self.pos + 1
      return table.concat(parts)
    elseif c == "\\" then
      local e = self.text:sub(self.pos + 1, self.pos + 1)
      self.pos = self.pos + 2
      if e == "u" then
        local cp = self:hex4()
        if cp >= 0xD800 and cp <= 0xDBFF then
          self:expect("\\u")
          local low = self:hex4()
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
        end
        parts[#parts + 1] = utf8_of(cp)
      elseif simple_escapes[e] then
        parts[#parts + 1] = simple_escapes[e]
      else
        self:fail("bad escape '\\" .. e .. "'")
      end
    else
      self:fail("control character in string")
    end
  end
end

function Reader:number()
  local text = self.text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", self.pos)
  local value = text and tonumber(text)
  if not value then self:fail("bad number") end
  self.pos = self.pos + #text
  return value
end

local null = setmetatable({}, { __tostring = function() return "null" end })

function Reader:value()
  self:skip_space()
  local c = self:peek()
  if c == "{" then return self:object()
  elseif c == "[" then return self:array()
  elseif c == '"' then return self:string()
  elseif c == "t" then self:expect("true"); return true
  elseif c == "f" then self:expect("false"); return false
  elseif c == "n" then self:expect("null"); return null
  elseif c:match("[-%d]") then return self:number()
  end
  self:fail(c == "" and "unexpected end" or "unexpected '" .. c .. "'")
end

-- Reads items until `close`, with `item` reading one element.
function Reader:sequence(close, item)
  self.pos = self.pos + 1
  self:skip_space()
  if self:peek() == close then
    self.pos = self.pos + 1
    return
  end
  repeat
    item()
    self:skip_space()
    local sep = self:peek()
    self.pos = self.pos + 1
    if sep == close then return end
  until sep ~= ","
  self:fail("expected ',' or '" .. close .. "'")
end

function Reader:array()
  local list = {}
  self:sequence("]", function() list[#list + 1] = self:value() end)
  return list
end

function Reader:object()
  local obj = {}
  self:sequence("}", function()
    self:skip_space()
    if self:peek() ~= '"' then self:fail("expected a key") end
    local key = self:string()
    self:skip_space()
    self:expect(":")
    obj[key] = self:value()
  end)
  return obj
end

local function decode(text)
  local r = new_reader(text)
  local v = r:value()
  r:skip_space()
  if r.pos <= #text then r:fail("trailing text") end
  return v
end

---------------------------------------------------------------------------

local writers = {}

local function write(v, out, path)
  local w = writers[type(v)]
  if not w then error(("json: cannot encode %s at %s"):format(type(v), path)) end
  w(v, out, path)
end

function writers.string(s, out)
  out[#out + 1] = '"' .. s:gsub('[%c"\\]', function(c)
    for k, v in pairs(simple_escapes) do
      if v == c and k ~= "/" then return "\\" .. k end
    end
    return ("\\u%04x"):format(c:byte())
  end) .. '"'
end

function writers.number(n, out, path)
  if n ~= n or n == math.huge or n == -math.huge then
    error("json: cannot encode " .. tostring(n) .. " at " .. path)
  end
  out[#out + 1] = math.type(n) == "integer" and tostring(n) or ("%.17g"):format(n)
end

writers.boolean = function(b, out) out[#out + 1] = tostring(b) end

function writers.table(t, out, path)
  if t == null then out[#out + 1] = "null"; return end
  local n = #t
  if n > 0 or next(t) == nil then
    out[#out + 1] = "["
    for i = 1, n do
      if i > 1 then out[#out + 1] = "," end
      write(t[i], out, path .. "[" .. i .. "]")
    end
    out[#out + 1] = "]"
    return
  end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  out[#out + 1] = "{"
  for i, k in ipairs(keys) do
    if i > 1 then out[#out + 1] = "," end
    writers.string(tostring(k), out)
    out[#out + 1] = ":"
    write(t[k], out, path .. "." .. tostring(k))
  end
  out[#out + 1] = "}"
end

local function encode(v)
  local out = {}
  write(v, out, "$")
  return table.concat(out)
end

---------------------------------------------------------------------------

local sample = {
  name = "coro", list = { 1, 2, 3.5, "four" }, nested = { ok = true, no = false },
  text = "line\nbreak \"quoted\" \\ tab\t", nothing = null,
}
local text = encode(sample)
local back = decode(text)
assert(back.name == "coro" and back.list[4] == "four" and back.nested.ok)
assert(back.nothing == null)
assert(decode('"\\u00e9\\ud83d\\ude00"') == "\u{e9}\u{1F600}")
assert(not pcall(decode, "[1, 2"))
print(text)

return { encode = encode, decode = decode, null = null }
