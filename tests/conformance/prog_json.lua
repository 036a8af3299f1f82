-- A larger program: a JSON encoder and decoder (objects with sorted keys,
-- arrays, strings with escapes and \u sequences, numbers, true/false/
-- null), round trips, and error reporting with positions for bad input.
local json = {}
local escapes = {['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t"}
local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return escapes[c] or string.format("\\u%04x", c:byte()) end) .. '"'
end
local null = setmetatable({}, {__tostring = function() return "null" end})
json.null = null
local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 then return false end
    n = n + 1
  end
  for i = 1, n do if t[i] == nil then return false end end
  return true, n
end
function json.encode(v, indent, level)
  level = level or 0
  local t = type(v)
  if v == null or v == nil then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("cannot encode a non-finite number") end
    if math.type(v) == "integer" then return tostring(v) end
    return string.format("%.14g", v)
  elseif t == "string" then return encode_string(v)
  elseif t == "table" then
    local arr, n = is_array(v)
    local parts = {}
    if arr and n > 0 then
      for i = 1, n do parts[i] = json.encode(v[i], indent, level + 1) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do
      if type(k) ~= "string" then error("non-string key: " .. tostring(k)) end
      keys[#keys + 1] = k
    end
    table.sort(keys)
    for i, k in ipairs(keys) do parts[i] = encode_string(k) .. ":" .. json.encode(v[k], indent, level + 1) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  error("cannot encode type " .. t)
end
-- decoder
local function decode_error(s, pos, msg)
  local line, col = 1, 1
  for i = 1, pos - 1 do
    if s:sub(i, i) == "\n" then line, col = line + 1, 1 else col = col + 1 end
  end
  error(string.format("%s at line %d col %d", msg, line, col), 0)
end
local decode_value
local function skip(s, pos) return s:find("[^ \t\r\n]", pos) or #s + 1 end
local function decode_string(s, pos)
  local out, i = {}, pos + 1
  while true do
    local c = s:sub(i, i)
    if c == "" then decode_error(s, pos, "unterminated string") end
    if c == '"' then return table.concat(out), i + 1 end
    if c == "\\" then
      local e = s:sub(i + 1, i + 1)
      local map = {b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/"}
      if map[e] then out[#out + 1] = map[e] i = i + 2
      elseif e == "u" then
        local hex = s:match("^%x%x%x%x", i + 2)
        if not hex then decode_error(s, i, "bad unicode escape") end
        out[#out + 1] = utf8.char(tonumber(hex, 16))
        i = i + 6
      else decode_error(s, i, "bad escape") end
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
end
local function decode_number(s, pos)
  local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
  if not num or num == "" or num == "-" then decode_error(s, pos, "bad number") end
  local v = math.tointeger(tonumber(num)) or tonumber(num)
  if num:find("[.eE]") then v = tonumber(num) + 0.0 end
  return v, pos + #num
end
function decode_value(s, pos)
  pos = skip(s, pos)
  local c = s:sub(pos, pos)
  if c == "{" then
    local obj = {}
    pos = skip(s, pos + 1)
    if s:sub(pos, pos) == "}" then return obj, pos + 1 end
    while true do
      pos = skip(s, pos)
      if s:sub(pos, pos) ~= '"' then decode_error(s, pos, "expected key") end
      local k
      k, pos = decode_string(s, pos)
      pos = skip(s, pos)
      if s:sub(pos, pos) ~= ":" then decode_error(s, pos, "expected ':'") end
      obj[k], pos = decode_value(s, pos + 1)
      pos = skip(s, pos)
      local d = s:sub(pos, pos)
      if d == "}" then return obj, pos + 1 end
      if d ~= "," then decode_error(s, pos, "expected ',' or '}'") end
      pos = pos + 1
    end
  elseif c == "[" then
    local arr = {}
    pos = skip(s, pos + 1)
    if s:sub(pos, pos) == "]" then return arr, pos + 1 end
    while true do
      arr[#arr + 1], pos = decode_value(s, pos)
      pos = skip(s, pos)
      local d = s:sub(pos, pos)
      if d == "]" then return arr, pos + 1 end
      if d ~= "," then decode_error(s, pos, "expected ',' or ']'") end
      pos = pos + 1
    end
  elseif c == '"' then return decode_string(s, pos)
  elseif s:find("^true", pos) then return true, pos + 4
  elseif s:find("^false", pos) then return false, pos + 5
  elseif s:find("^null", pos) then return null, pos + 4
  elseif c:match("[-%d]") then return decode_number(s, pos)
  end
  decode_error(s, pos, "unexpected character '" .. c .. "'")
end
function json.decode(s)
  local v, pos = decode_value(s, 1)
  pos = skip(s, pos)
  if pos <= #s then decode_error(s, pos, "trailing garbage") end
  return v
end
-- tests
local doc = {
  name = "coro", version = 1.5, tags = {"lua", "coroutines", "c"}, nested = {deep = {deeper = {true, false, null}}},
  count = 42, neg = -7, big = 1e300, small = 1.5e-10, text = 'quote " backslash \\ newline \n tab \t ctrl \1',
  empty_obj = {}, unicode = "héllo €",
}
local enc = json.encode(doc)
print(enc)
local dec = json.decode(enc)
print(json.encode(dec) == enc)
print(dec.name, dec.version, dec.tags[2], dec.nested.deep.deeper[1], dec.nested.deep.deeper[3] == null, dec.count, math.type(dec.count))
local inputs = {
  '[1, 2.5, -3, 1e2, "x", true, false, null, [], {}]',
  '{"a": {"b": {"c": [1, [2, [3]]]}}}',
  '  "\\u0041\\u00e9\\u20ac\\n"  ',
  '[1, 2,]', '{"a" 1}', '[1 2]', '{"a": tru}', '"unterminated', '[-]', '{"k": "v"} extra', '\n\n  @',
}
for _, s in ipairs(inputs) do
  local ok, v = pcall(json.decode, s)
  print(ok, ok and json.encode(v) or v)
end
print(pcall(json.encode, {[1] = 1, x = 2}))
print(pcall(json.encode, {0/0}))
print(pcall(json.encode, print))
-- a bigger document round trip
local big = {}
for i = 1, 200 do big[i] = {id = i, name = "item" .. i, tags = {"t" .. i % 7}, score = i / 8} end
local s = json.encode(big)
print(#s, json.encode(json.decode(s)) == s)
