-- A tokenizer, a Pratt parser and an evaluator for a small expression
-- language with variables, functions and conditionals.  Exercises string
-- scanning, tables as records, recursion, closures and error handling.

local Lexer = {}
Lexer.__index = Lexer

local keywords = { let = true, fn = true, ["if"] = true, ["then"] = true,
                   ["else"] = true, ["in"] = true }

function Lexer.new(src)
  return setmetatable({ src = src, i = 1, tokens = {} }, Lexer)
end

function Lexer:emit(kind, text, value)
  local t = self.tokens
  t[#t + 1] = { kind = kind, text = text, value = value, at = self.i }
end

function Lexer:run()
  local src = self.src
  while self.i <= #src do
    local c = src:sub(self.i, self.i)
    if c:match("%s") then
      self.i = self.i + 1
    elseif c:match("%d") then
      local num = src:match("^%d+%.?%d*", self.i)
      self:emit("num", num, tonumber(num))
      self.i = self.i + #num
    elseif c:match("[%a_]") then
      local word = src:match("^[%w_]+", self.i)
      self:emit(keywords[word] and word or "name", word)
      self.i = self.i + #word
    else
      local op = src:match("^[=<>!]=", self.i) or src:match("^%->", self.i) or c
      if not op:match("^[-+*/%%^(),=<>!]") and op ~= "->" then
        error(("unexpected character %q at %d"):format(c, self.i), 0)
      end
      self:emit(op, op)
      self.i = self.i + #op
    end
  end
  self:emit("eof", "<eof>")
  return self.tokens
end

---------------------------------------------------------------------------
-- Parser: binding powers drive a single loop for binary operators.

local Parser = {}
Parser.__index = Parser

local infix = {
  ["=="] = { 1, 2 }, ["!="] = { 1, 2 }, ["<"] = { 3, 4 }, [">"] = { 3, 4 },
  ["<="] = { 3, 4 }, [">="] = { 3, 4 },
  ["+"] = { 5, 6 }, ["-"] = { 5, 6 },
  ["*"] = { 7, 8 }, ["/"] = { 7, 8 }, ["%"] = { 7, 8 },
  ["^"] = { 10, 9 },                 -- right associative
}

function Parser.new(tokens) return setmetatable({ tokens = tokens, pos = 1 }, Parser) end

function Parser:peek() return self.tokens[self.pos] end
function Parser:next()
  local t = self.tokens[self.pos]
  self.pos = self.pos + 1
  return t
end
function Parser:expect(kind)
  local t = self:next()
  if t.kind ~= kind then
    error(("expected %s but found %s at %d"):format(kind, t.text, t.at), 0)
  end
  return t
end

function Parser:primary()
  local t = self:next()
  if t.kind == "num" then
    return { tag = "num", value = t.value }
  elseif t.kind == "name" then
    local node = { tag = "var", name = t.text }
    while self:peek().kind == "(" do
      self:next()
      local args = {}
      if self:peek().kind ~= ")" then
        repeat args[#args + 1] = self:expr(0) until self:peek().kind ~= "," or not self:next()
      end
      self:expect(")")
      node = { tag = "call", fn = node, args = args }
    end
    return node
  elseif t.kind == "(" then
    local e = self:expr(0)
    self:expect(")")
    return e
  elseif t.kind == "-" then
    return { tag = "neg", operand = self:expr(9) }
  elseif t.kind == "!" then
    return { tag = "not", operand = self:expr(9) }
  elseif t.kind == "let" then
    local name = self:expect("name").text
    self:expect("=")
    local value = self:expr(0)
    self:expect("in")
    return { tag = "let", name = name, value = value, body = self:expr(0) }
  elseif t.kind == "fn" then
    local params = {}
    while self:peek().kind == "name" do params[#params + 1] = self:next().text end
    self:expect("->")
    return { tag = "fn", params = params, body = self:expr(0) }
  elseif t.kind == "if" then
    local cond = self:expr(0)
    self:expect("then")
    local yes = self:expr(0)
    self:expect("else")
    return { tag = "if", cond = cond, yes = yes, no = self:expr(0) }
  end
  error(("unexpected %s at %d"):format(t.text, t.at), 0)
end

function Parser:expr(min_power)
  local left = self:primary()
  while true do
    local op = self:peek().kind
    local power = infix[op]
    if not power or power[1] < min_power then break end
    self:next()
    left = { tag = "bin", op = op, left = left, right = self:expr(power[2]) }
  end
  return left
end

---------------------------------------------------------------------------
-- Evaluator: environments are chained through __index.

local function extend(env, names, values)
  local e = setmetatable({}, { __index = env })
  for i, n in ipairs(names) do e[n] = values[i] end
  return e
end

local binops = {
  ["+"] = function(a, b) return a + b end,
  ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end,
  ["/"] = function(a, b) return a / b end,
  ["%"] = function(a, b) return a % b end,
  ["^"] = function(a, b) return a ^ b end,
  ["=="] = function(a, b) return a == b end,
  ["!="] = function(a, b) return a ~= b end,
  ["<"] = function(a, b) return a < b end,
  [">"] = function(a, b) return a > b end,
  ["<="] = function(a, b) return a <= b end,
  [">="] = function(a, b) return a >= b end,
}

local eval

local evaluators = {
  num = function(n) return n.value end,
  var = function(n, env)
    local v = env[n.name]
    if v == nil then error("undefined variable " .. n.name, 0) end
    return v
  end,
  neg = function(n, env) return -eval(n.operand, env) end,
  ["not"] = function(n, env) return not eval(n.operand, env) end,
  bin = function(n, env) return binops[n.op](eval(n.left, env), eval(n.right, env)) end,
  let = function(n, env) return eval(n.body, extend(env, { n.name }, { eval(n.value, env) })) end,
  fn = function(n, env)
    return function(...) return eval(n.body, extend(env, n.params, { ... })) end
  end,
  call = function(n, env)
    local f = eval(n.fn, env)
    local args = {}
    for i, a in ipairs(n.args) do args[i] = eval(a, env) end
    return f(table.unpack(args))
  end,
  ["if"] = function(n, env)
    if eval(n.cond, env) then return eval(n.yes, env) else return eval(n.no, env) end
  end,
}

eval = function(node, env)
  return evaluators[node.tag](node, env)
end

local function run(src, env)
  local tokens = Lexer.new(src):run()
  local p = Parser.new(tokens)
  local tree = p:expr(0)
  p:expect("eof")
  return eval(tree, env or { sqrt = math.sqrt, max = math.max })
end

local cases = {
  { "1 + 2 * 3", 7 },
  { "2 ^ 3 ^ 2", 512 },
  { "(1 + 2) * 3", 9 },
  { "let x = 4 in x * x", 16 },
  { "let sq = fn x -> x * x in sq(sq(3))", 81 },
  { "if 1 < 2 then 10 else 20", 10 },
  { "max(3, 9, 4) - sqrt(16)", 5.0 },
  { "let fact = fn n f -> if n <= 1 then 1 else n * f(n - 1, f) in fact(5, fact)", 120 },
}

for i, case in ipairs(cases) do
  local ok, result = pcall(run, case[1])
  if not ok or result ~= case[2] then
    print(("case %d failed: %s -> %s"):format(i, case[1], tostring(result)))
  end
end

for _, bad in ipairs { "1 +", "let = 3", "(1", "2 $ 3", "f(" } do
  local ok, msg = pcall(run, bad)
  assert(not ok, bad)
end

return run
