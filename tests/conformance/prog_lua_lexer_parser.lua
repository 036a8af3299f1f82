-- A larger program: a tokenizer, a recursive-descent parser and a
-- tree-walking evaluator for "Mini", a small language with integers and
-- floats, strings, closures, if/while/return, and try/throw where thrown
-- values are tables.  The host side uses pcall/error with table error
-- objects, string patterns, string.format with many specifiers, and the
-- integer/float rules of Lua 5.4 (//, %, ^, math.tointeger, overflow wrap,
-- string<->number coercion), printing every result deterministically.

local fmt = string.format

-- Errors: always tables {kind=, msg=, pos=}
local MiniError = {}
MiniError.__index = MiniError
MiniError.__tostring = function(e)
  return fmt("%s error at %d: %s", e.kind, e.pos or 0, e.msg)
end

local function raise(kind, msg, pos)
  error(setmetatable({kind = kind, msg = msg, pos = pos}, MiniError))
end

-- Lexer
local keywords = {}
for w in ("let fn if then else end while do return try catch throw and or not true false nil"):gmatch("%a+") do keywords[w] = true end

local escapes = {n = "\n", t = "\t", ["\\"] = "\\", ['"'] = '"'}

local function lex(src)
  local toks, pos, line = {}, 1, 1
  local function push(t, v, p) toks[#toks + 1] = {t = t, v = v, pos = p, line = line} end
  while true do
    local ws = src:match("^[ \t\r]+", pos)
    if ws then pos = pos + #ws end
    local c = src:sub(pos, pos)
    if c == "" then break end
    if c == "\n" then line = line + 1; pos = pos + 1
    elseif src:find("^%-%-", pos) then pos = src:find("\n", pos, true) or #src + 1
    elseif c:match("%d") then
      local num = src:match("^0[xX]%x+", pos) or src:match("^%d+%.%d+[eE][-+]?%d+", pos)
                      or src:match("^%d+[eE][-+]?%d+", pos)
                      or src:match("^%d+%.%d+", pos)
                      or src:match("^%d+", pos)
      push("num", tonumber(num), pos)
      pos = pos + #num
    elseif c:match("[%a_]") then
      local id = src:match("^[%a_][%w_]*", pos)
      push(keywords[id] and id or "id", id, pos)
      pos = pos + #id
    elseif c == '"' then
      local buf, i = {}, pos + 1
      while true do
        local ch = src:sub(i, i)
        if ch == "" or ch == "\n" then raise("lex", "unfinished string", pos) end
        if ch == '"' then break end
        if ch == "\\" then
          local nx = src:sub(i + 1, i + 1)
          local dec = src:match("^%d%d?%d?", i + 1)
          if dec then buf[#buf + 1] = string.char(tonumber(dec)); i = i + 1 + #dec
          elseif escapes[nx] then buf[#buf + 1] = escapes[nx]; i = i + 2
          else raise("lex", fmt("bad escape %q", "\\" .. nx), i) end
        else buf[#buf + 1] = ch; i = i + 1 end
      end
      push("str", table.concat(buf), pos)
      pos = i + 1
    else
      local op = src:match("^//", pos) or src:match("^%.%.", pos)
              or src:match("^[=<>~]=", pos) or src:match("^[-+*/%%^#()<>=,;{}%[%]]", pos)
      if not op then raise("lex", fmt("unexpected character %q", c), pos) end
      push(op, op, pos)
      pos = pos + #op
    end
  end
  push("eof", nil, pos)
  return toks
end

-- Parser (precedence climbing for binary operators)
local binprec = {["or"] = {1, 1}, ["and"] = {2, 2}, [".."] = {9, 8}, ["^"] = {14, 13},
  ["+"] = {10, 10}, ["-"] = {10, 10}, ["*"] = {11, 11}, ["/"] = {11, 11}, ["//"] = {11, 11}, ["%"] = {11, 11}}
for op in ("< > <= >= == ~="):gmatch("%S+") do binprec[op] = {3, 3} end
local UNARY_PREC = 12

local Parser = {}
Parser.__index = Parser

local function parser(toks) return setmetatable({toks = toks, i = 1}, Parser) end
function Parser:peek() return self.toks[self.i] end
function Parser:next() local t = self.toks[self.i]; self.i = self.i + 1; return t end
function Parser:check(t) return self.toks[self.i].t == t end
function Parser:accept(t) if self:check(t) then return self:next() end end
function Parser:expect(t)
  local tok = self:peek()
  if tok.t ~= t then
    raise("parse", fmt("expected '%s' near '%s'", t, tostring(tok.v or tok.t)), tok.pos)
  end
  return self:next()
end
function Parser:list(close, item)
  local r = {}
  if not self:check(close) then repeat r[#r + 1] = item(self) until not self:accept(",") end
  return r, self:expect(close)
end
local function anexpr(p) return p:expr(0) end
function Parser:primary()
  local tok = self:next()
  local t = tok.t
  if t == "num" or t == "str" then return {k = "lit", v = tok.v}
  elseif t == "true" then return {k = "lit", v = true}
  elseif t == "false" then return {k = "lit", v = false}
  elseif t == "nil" then return {k = "lit", v = nil}
  elseif t == "id" then return {k = "var", name = tok.v, pos = tok.pos}
  elseif t == "(" then
    local e = self:expr(0); self:expect(")"); return e
  elseif t == "fn" then
    self:expect("(")
    local params = self:list(")", function(p) return p:expect("id").v end)
    local body = self:block()
    self:expect("end")
    return {k = "fn", params = params, body = body}
  elseif t == "{" then
    return {k = "list", items = (self:list("}", anexpr))}
  end
  raise("parse", fmt("unexpected '%s'", tostring(tok.v or t)), tok.pos)
end
function Parser:postfix()
  local e = self:primary()
  while true do
    if self:accept("(") then
      local args, close = self:list(")", anexpr)
      e = {k = "call", f = e, args = args, pos = close.pos}
    elseif self:accept("[") then
      local idx = self:expr(0)
      self:expect("]")
      e = {k = "index", obj = e, idx = idx}
    else return e end
  end
end
function Parser:unary()
  local tok = self:peek()
  if tok.t == "-" or tok.t == "not" or tok.t == "#" then
    self:next()
    return {k = "un", op = tok.t, e = self:expr(UNARY_PREC), pos = tok.pos}
  end
  return self:postfix()
end
function Parser:expr(limit)
  local left = self:unary()
  while true do
    local tok = self:peek()
    local p = binprec[tok.t]
    if not p or p[1] <= limit then break end
    self:next()
    local right = self:expr(p[2])
    left = {k = "bin", op = tok.t, l = left, r = right, pos = tok.pos}
  end
  return left
end
function Parser:statement()
  local tok = self:peek()
  if self:accept("let") then
    local name = self:expect("id").v; self:expect("=")
    return {k = "let", name = name, e = self:expr(0)}
  elseif self:accept("if") then
    local cond = self:expr(0); self:expect("then")
    local yes, no = self:block(), nil
    if self:accept("else") then no = self:block() end
    self:expect("end")
    return {k = "if", cond = cond, yes = yes, no = no}
  elseif self:accept("while") then
    local cond = self:expr(0); self:expect("do")
    local body = self:block(); self:expect("end")
    return {k = "while", cond = cond, body = body}
  elseif self:accept("return") then
    return {k = "return", e = self:expr(0)}
  elseif self:accept("throw") then
    return {k = "throw", e = self:expr(0), pos = tok.pos}
  elseif self:accept("try") then
    local body = self:block(); self:expect("catch")
    local name = self:expect("id").v
    local handler = self:block(); self:expect("end")
    return {k = "try", body = body, name = name, handler = handler}
  end
  local e = self:expr(0)
  if self:accept("=") then
    if e.k ~= "var" and e.k ~= "index" then raise("parse", "cannot assign", tok.pos) end
    return {k = "assign", target = e, e = self:expr(0)}
  end
  return {k = "expr", e = e}
end
local blockend = {["end"] = true, ["else"] = true, ["catch"] = true, eof = true}
function Parser:block()
  local stmts = {}
  while not blockend[self:peek().t] do
    stmts[#stmts + 1] = self:statement()
    self:accept(";")
  end
  return stmts
end
local function parse(src)
  local p = parser(lex(src))
  local b = p:block(); p:expect("eof"); return b
end

-- Evaluator
local Env = {}
Env.__index = Env
local function newenv(parent) return setmetatable({vars = {}, parent = parent}, Env) end
function Env:lookup(name, pos)
  local e = self
  while e do
    local v = e.vars[name]
    if v ~= nil or e.vars[name .. "?"] then return v end
    e = e.parent
  end
  raise("runtime", "undefined variable '" .. name .. "'", pos)
end
function Env:define(name, v) self.vars[name] = v; self.vars[name .. "?"] = true end
function Env:set(name, v, pos)
  local e = self
  while e do
    if e.vars[name .. "?"] then e.vars[name] = v; return end
    e = e.parent
  end
  raise("runtime", "assignment to undeclared '" .. name .. "'", pos)
end
local ReturnSignal = {}
local exec
local arith = {}
for _, op in ipairs({"+", "-", "*", "/", "//", "%", "^", "..", "<", ">", "<=", ">=", "==", "~="}) do
  arith[op] = load("local a, b = ...; return a " .. op .. " b")
end

local function eval(node, env)
  local k = node.k
  if k == "lit" then return node.v
  elseif k == "var" then return env:lookup(node.name, node.pos)
  elseif k == "list" then
    local t = {}
    for i, it in ipairs(node.items) do t[i] = eval(it, env) end
    return t
  elseif k == "index" then
    local o = eval(node.obj, env)
    if type(o) ~= "table" then raise("runtime", "index a " .. type(o), 0) end
    return o[eval(node.idx, env)]
  elseif k == "un" then
    local v = eval(node.e, env)
    if node.op == "-" then return -v
    elseif node.op == "#" then return #v
    else return not v end
  elseif k == "bin" then
    local op = node.op
    if op == "and" then return eval(node.l, env) and eval(node.r, env) end
    if op == "or" then return eval(node.l, env) or eval(node.r, env) end
    local a, b = eval(node.l, env), eval(node.r, env)
    local ok, r = pcall(arith[op], a, b)
    if not ok then raise("runtime", (tostring(r):gsub("^[^:]*:%d+: ", "")), node.pos) end
    return r
  elseif k == "fn" then
    local params, body = node.params, node.body
    return function(...)
      local fenv = newenv(env)
      for i, p in ipairs(params) do fenv:define(p, (select(i, ...))) end
      fenv:define("nargs", select("#", ...))
      local ok, err = pcall(exec, body, fenv)
      if ok then return nil end
      if type(err) == "table" and err.tag == ReturnSignal then return err.v end
      error(err, 0)
    end
  elseif k == "call" then
    local f = eval(node.f, env)
    local args = {}
    for i, a in ipairs(node.args) do args[i] = eval(a, env) end
    if type(f) ~= "function" then raise("runtime", "call a " .. type(f) .. " value", node.pos) end
    return f(table.unpack(args, 1, #node.args))
  end
  error("bad node " .. tostring(k))
end

function exec(stmts, env)
  for _, s in ipairs(stmts) do
    local k = s.k
    if k == "let" then env:define(s.name, eval(s.e, env))
    elseif k == "assign" then
      local v = eval(s.e, env)
      if s.target.k == "var" then env:set(s.target.name, v, s.target.pos)
      else eval(s.target.obj, env)[eval(s.target.idx, env)] = v end
    elseif k == "expr" then eval(s.e, env)
    elseif k == "if" then
      if eval(s.cond, env) then exec(s.yes, newenv(env))
      elseif s.no then exec(s.no, newenv(env)) end
    elseif k == "while" then
      local guard = 0 -- a runaway loop is an error
      while eval(s.cond, env) do
        guard = guard + 1
        if guard > 10000 then raise("runtime", "loop limit", 0) end
        exec(s.body, newenv(env))
      end
    elseif k == "return" then
      error({tag = ReturnSignal, v = eval(s.e, env)}, 0)
    elseif k == "throw" then
      error({tag = "thrown", v = eval(s.e, env), pos = s.pos}, 0)
    elseif k == "try" then
      local ok, err = pcall(exec, s.body, newenv(env))
      if not ok then
        if type(err) == "table" and err.tag == ReturnSignal then error(err, 0) end
        local h = newenv(env)
        if type(err) == "table" and err.tag == "thrown" then h:define(s.name, err.v)
        elseif getmetatable(err) == MiniError then h:define(s.name, err.msg)
        else h:define(s.name, tostring(err)) end
        exec(s.handler, h)
      end
    end
  end
end

-- Host-side builtins and printing
local function show(v)
  local t = math.type(v)
  if t == "integer" then return fmt("%d", v)
  elseif t == "float" then
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
    return fmt("%.14g", v) .. (v == math.floor(v) and not fmt("%.14g", v):find("[e.]") and ".0" or "")
  elseif type(v) == "string" then return fmt("%q", v)
  elseif type(v) == "table" then
    local parts = {}
    for i = 1, #v do parts[i] = show(v[i]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return tostring(v)
end

local output = {}
local function builtins()
  local g = newenv(nil)
  g:define("print", function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = show(parts[i]) end
    output[#output + 1] = table.concat(parts, " ", 1, parts.n)
  end)
  local lib = {tostr = tostring, toint = math.tointeger, fmt = fmt, upper = string.upper,
    sub = string.sub, floor = math.floor, maxint = math.maxinteger, minint = math.mininteger,
    tonum = function(v) return tonumber(v) end,
    type = function(v) return math.type(v) or type(v) end,
    push = function(t, v) t[#t + 1] = v; return #t end}
  for k, v in pairs(lib) do g:define(k, v) end
  return g
end

local function run(name, src)
  output = {}
  local ok, err = pcall(function() exec(parse(src), builtins()) end)
  print("== " .. name)
  for _, l in ipairs(output) do print("  " .. l) end
  if not ok then
    if getmetatable(err) == MiniError then print("  ! " .. tostring(err))
    elseif type(err) == "table" and err.tag == "thrown" then print("  ! uncaught throw " .. show(err.v))
    else print("  ! host " .. tostring(err):gsub("^[^:]*:%d+: ", "")) end
  end
end

-- Programs
run("arith", [[
print(1 + 2 * 3, (1 + 2) * 3, 2 ^ 10, 2 ^ 0.5 > 1.41)
print(7 // 2, 7.0 // 2, -7 // 2, 7 // -2.0, 3 // 2, 3.0 // 2)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3, 7.5 % 2, -7.5 % 2)
print(1 / 2, 4 / 2, 10 / 4, 2 ^ 53, 2 ^ 53 + 1)
print(maxint + 1 == minint, minint - 1 == maxint, maxint * 2, -minint)
print(toint(3.0), toint(3.5), toint(2 ^ 31), toint(2 ^ 53))
print(type(1), type(1.0), type(1 // 1), type(1 / 1), type("x"), type(nil))
print(0x10 + 1, 1e3, 2.5e-1, 10 // 0.0, -10 % 0.5)
]])

run("strings", [[
let s = "hello" .. " " .. "world"
print(s, #s, upper(s), sub(s, -5), sub(s, 2, 4))
print("10" + 5, "3" * "4", 10 .. 20, 1.5 .. "", "0x10" + 0, " 7 " * 2)
print(tonum("12"), tonum("1e2"), tonum("abc"), tonum("  0x1F  "), tostr(2^63))
print(fmt("%5.2f|%-6d|%x|%X|%o|%e|%g|%g", 3.14159, 42, 255, 255, 8, 12345.678, 0.0001, 1e20))
print(fmt("%q", "tab\there\nnl \"quoted\" \\ \0 end"))
print(fmt("%q|%q|%q", 42, 1/3, minint))
print(fmt("%10s|%-10s|%.3s|%c%c%c|%%", "right", "left", "truncate", 72, 105, 33))
print(fmt("%+d %+.1f % d %05d %.0f %#x %#o", 5, 2.25, 3, -42, 2.5, 255, 8))
print("esc\65\066\t\\")
]])

run("closures", [[
let make_counter = fn(start)
  let n = start
  return fn() n = n + 1 return n end
end
let a = make_counter(0)
let b = make_counter(100)
a() a()
print(a(), b(), a(), b())
let compose = fn(f, g) return fn(x) return f(g(x)) end end
let inc = fn(x) return x + 1 end
let dbl = fn(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
let fib = nil
fib = fn(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
let i = 0
let fibs = {}
while i < 15 do push(fibs, fib(i)) i = i + 1 end
print(fibs)
let count = fn(a, b, c) return nargs end
print(count(), count(1), count(1, nil), count(1, 2, 3))
]])

run("try-catch", [[
let safe_div = fn(a, b)
  if b == 0 then throw {"divide by zero", a} end
  return a // b
end
try
  print(safe_div(10, 3))
  print(safe_div(1, 0))
  print("not reached")
catch e
  print("caught", e[1], e[2])
end
try
  let x = nil + 1
catch e
  print("runtime:", e)
end
try
  print(undefined_thing)
catch e
  print("lookup:", e)
end
try
  try throw 42 catch inner throw inner * 2 end
catch outer
  print("rethrown", outer)
end
let f = fn() try return "from try" catch e print("no") end return "after" end
print(f())
try
  print("a" < 1)
catch e
  print("compare:", e)
end
throw "final"
]])

run("overflow", [[
let x = maxint
let steps = 0
while x > 0 do x = x + maxint // 4 steps = steps + 1 end
print(steps, x < 0, type(x))
print(maxint // -1, minint // -1, minint % -1, 5 // 0.0, -5 // 0.0)
print(2^63 == maxint + 1.0, maxint + 0.0, 9007199254740993, 2^53 + 1 == 2^53)
]])

-- Error cases: lexing and parsing diagnostics
local bad = {
  'let x = "unterminated',
  'let = 5',
  'print(1 + )',
  'let y = 3 @ 4',
  'print("bad \\q escape")',
  'if 1 then print(1)',
  'x = 1',
  'let f = 5 f()',
  'let t = {1,2} print(t[1][2])',
  'print(#5)',
}
for i, src in ipairs(bad) do run("bad" .. i, src) end

-- Host-level checks of error objects and tostring
local ok, e = pcall(raise, "demo", "custom message", 77)
print(ok, getmetatable(e) == MiniError, e.kind, e.pos, tostring(e))
local ok2, e2 = pcall(error, {code = 5})
print(ok2, type(e2), e2.code)
local ok3, e3 = pcall(error, "plain", 0)
print(ok3, e3)
local ok4, e4 = pcall(error)
print(ok4, e4)
local ok5, e5 = pcall(function() local t = nil; return t.x end)
print(ok5, (e5:gsub("^[^:]+:%d+: ", "")))
print(select("#", pcall(error, nil)))

-- Token statistics, sorted deterministically
local src = [[
let total = 0 let i = 1
while i <= 10 do total = total + i * i i = i + 1 end
print(fmt("sum of squares = %d, avg = %.3f", total, total / 10))
]]
local counts = {}
for _, t in ipairs(lex(src)) do counts[t.t] = (counts[t.t] or 0) + 1 end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
local parts = {}
for _, k in ipairs(keys) do parts[#parts + 1] = fmt("%s=%d", k, counts[k]) end
print(table.concat(parts, " "))
run("squares", src)
