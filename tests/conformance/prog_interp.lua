-- A larger program: a small interpreter for an arithmetic language with
-- variables, functions, if and while: a tokenizer built on patterns, a
-- recursive-descent parser producing tables, a tree-walking evaluator
-- with environments, and error reporting with token positions.
local function tokenize(src)
  local toks, pos = {}, 1
  local kw = {let = true, fn = true, ["if"] = true, ["then"] = true, ["else"] = true, ["end"] = true, ["while"] = true, ["do"] = true, print = true}
  while pos <= #src do
    local s, e = src:find("^%s+", pos)
    if s then pos = e + 1
    else
      local num = src:match("^%d+%.?%d*", pos)
      local id = src:match("^[%a_][%w_]*", pos)
      local op = src:match("^[=<>!]=", pos) or src:match("^[-+*/%%()<>=,;{}]", pos)
      if num then toks[#toks + 1] = {t = "num", v = tonumber(num), pos = pos} pos = pos + #num
      elseif id then toks[#toks + 1] = {t = kw[id] and id or "id", v = id, pos = pos} pos = pos + #id
      elseif op then toks[#toks + 1] = {t = op, pos = pos} pos = pos + #op
      else error("unexpected character '" .. src:sub(pos, pos) .. "' at " .. pos, 0) end
    end
  end
  toks[#toks + 1] = {t = "eof", pos = pos}
  return toks
end
local Parser = {}
Parser.__index = Parser
function Parser.new(toks) return setmetatable({toks = toks, i = 1}, Parser) end
function Parser:peek() return self.toks[self.i] end
function Parser:next() local t = self.toks[self.i] self.i = self.i + 1 return t end
function Parser:expect(t)
  local tok = self:next()
  if tok.t ~= t then error(string.format("expected '%s' but got '%s' at %d", t, tok.t, tok.pos), 0) end
  return tok
end
function Parser:block(stop)
  local stmts = {}
  while not stop[self:peek().t] do stmts[#stmts + 1] = self:statement() end
  return {k = "block", stmts}
end
function Parser:statement()
  local t = self:peek().t
  if t == "let" then
    self:next()
    local name = self:expect("id").v
    self:expect("=")
    local e = self:expr()
    if self:peek().t == ";" then self:next() end
    return {k = "let", name = name, e = e}
  elseif t == "print" then
    self:next()
    local e = self:expr()
    if self:peek().t == ";" then self:next() end
    return {k = "print", e = e}
  elseif t == "while" then
    self:next()
    local c = self:expr()
    self:expect("do")
    local b = self:block({["end"] = true})
    self:expect("end")
    return {k = "while", c = c, b = b}
  elseif t == "id" and self.toks[self.i + 1].t == "=" then
    local name = self:next().v
    self:next()
    local e = self:expr()
    if self:peek().t == ";" then self:next() end
    return {k = "set", name = name, e = e}
  end
  local e = self:expr()
  if self:peek().t == ";" then self:next() end
  return {k = "expr", e = e}
end
local prec = {["=="] = 1, ["!="] = 1, ["<"] = 2, [">"] = 2, ["<="] = 2, [">="] = 2, ["+"] = 3, ["-"] = 3, ["*"] = 4, ["/"] = 4, ["%"] = 4}
function Parser:expr(minp)
  minp = minp or 1
  local lhs = self:primary()
  while true do
    local op = self:peek().t
    local p = prec[op]
    if not p or p < minp then return lhs end
    self:next()
    local rhs = self:expr(p + 1)
    lhs = {k = "bin", op = op, l = lhs, r = rhs}
  end
end
function Parser:primary()
  local tok = self:next()
  if tok.t == "num" then return {k = "num", v = tok.v}
  elseif tok.t == "id" then
    if self:peek().t == "(" then
      self:next()
      local args = {}
      if self:peek().t ~= ")" then
        repeat args[#args + 1] = self:expr() until self:peek().t ~= "," or not self:next()
      end
      self:expect(")")
      return {k = "call", name = tok.v, args = args}
    end
    return {k = "var", name = tok.v}
  elseif tok.t == "(" then
    local e = self:expr()
    self:expect(")")
    return e
  elseif tok.t == "-" then return {k = "bin", op = "-", l = {k = "num", v = 0}, r = self:primary()}
  elseif tok.t == "fn" then
    self:expect("(")
    local params = {}
    while self:peek().t == "id" do
      params[#params + 1] = self:next().v
      if self:peek().t == "," then self:next() end
    end
    self:expect(")")
    local body = self:block({["end"] = true})
    self:expect("end")
    return {k = "fn", params = params, body = body}
  elseif tok.t == "if" then
    local c = self:expr()
    self:expect("then")
    local a = self:expr()
    self:expect("else")
    local b = self:expr()
    self:expect("end")
    return {k = "if", c = c, a = a, b = b}
  end
  error(string.format("unexpected '%s' at %d", tok.t, tok.pos), 0)
end
local out = {}
local function lookup(env, name)
  while env do
    if env.vars[name] ~= nil then return env end
    env = env.parent
  end
end
local eval
local binops = {
  ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end, ["/"] = function(a, b) if b == 0 then error("division by zero", 0) end return a // b end,
  ["%"] = function(a, b) return a % b end, ["<"] = function(a, b) return a < b and 1 or 0 end,
  [">"] = function(a, b) return a > b and 1 or 0 end, ["<="] = function(a, b) return a <= b and 1 or 0 end,
  [">="] = function(a, b) return a >= b and 1 or 0 end, ["=="] = function(a, b) return a == b and 1 or 0 end,
  ["!="] = function(a, b) return a ~= b and 1 or 0 end,
}
function eval(n, env)
  local k = n.k
  if k == "num" then return n.v
  elseif k == "var" then
    local e = lookup(env, n.name)
    if not e then error("undefined variable " .. n.name, 0) end
    return e.vars[n.name]
  elseif k == "bin" then return binops[n.op](eval(n.l, env), eval(n.r, env))
  elseif k == "if" then if eval(n.c, env) ~= 0 then return eval(n.a, env) else return eval(n.b, env) end
  elseif k == "fn" then return {params = n.params, body = n.body, env = env}
  elseif k == "call" then
    local e = lookup(env, n.name)
    if not e then error("undefined function " .. n.name, 0) end
    local f = e.vars[n.name]
    local fenv = {vars = {}, parent = f.env}
    for i, p in ipairs(f.params) do fenv.vars[p] = eval(n.args[i], env) end
    return eval(f.body, fenv)
  elseif k == "block" then
    local last = 0
    for _, s in ipairs(n[1]) do last = eval(s, env) end
    return last
  elseif k == "let" then env.vars[n.name] = eval(n.e, env) return 0
  elseif k == "set" then
    local e = lookup(env, n.name)
    if not e then error("assignment to undefined " .. n.name, 0) end
    e.vars[n.name] = eval(n.e, env)
    return 0
  elseif k == "print" then
    local v = eval(n.e, env)
    out[#out + 1] = type(v) == "table" and "<fn>" or tostring(v)
    return 0
  elseif k == "while" then
    while eval(n.c, env) ~= 0 do eval(n.b, env) end
    return 0
  elseif k == "expr" then return eval(n.e, env)
  end
  error("bad node " .. tostring(k))
end
local function run(src)
  out = {}
  local ok, err = pcall(function()
    local p = Parser.new(tokenize(src))
    local prog = p:block({eof = true})
    return eval(prog, {vars = {}})
  end)
  print(ok and ("ok " .. tostring(err)) or ("error: " .. err), table.concat(out, " "))
end
run("let x = 2 + 3 * 4; print x; print (2 + 3) * 4; print 7 % 3 - -1")
run("let fact = fn(n) if n < 2 then 1 else n * fact(n - 1) end end; print fact(10); print fact(20)")
run("let fib = fn(n) if n < 2 then n else fib(n - 1) + fib(n - 2) end end; print fib(20)")
run("let i = 0; let s = 0; while i < 100 do i = i + 1; s = s + i end print s")
run("let mk = fn(a) fn(b) a + b end end; let add5 = mk(5); print add5; print 1")
run("let x = 1; let f = fn() x = x + 1 end; f(); f(); print x")
run("print 10 / 0")
run("print y")
run("let = 5")
run("print (1 + 2")
run("let a = 1 $ 2")
run("print 1 == 1; print 1 != 1; print 3 >= 4; print 2 <= 2")
run("let gcd = fn(a, b) if b == 0 then a else gcd(b, a % b) end end; print gcd(1071, 462)")
