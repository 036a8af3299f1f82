-- Malformed patterns and the errors each string function raises for them:
-- missing ']', trailing '%', unfinished captures, invalid capture indices,
-- %b and %f without arguments, too many captures, and pattern too complex.
local pats = {
  "[a", "[^a", "[a-", "%", "a%", "(", "(()", "())", ")", "%1", "(a)%2", "(a%1)",
  "%b", "%ba", "%f", "%fa", "%f[a", "[%", "[%a", "(%b)", "[]", "[^]", "%g(",
}
for _, p in ipairs(pats) do
  local r = {}
  for _, fname in ipairs({"find", "match", "gmatch", "gsub"}) do
    local ok, err = pcall(function()
      if fname == "gmatch" then
        for _ in string.gmatch("abc(a)]", p) do end
      elseif fname == "gsub" then
        return string.gsub("abc(a)]", p, "%1")
      else
        return string[fname]("abc(a)]", p)
      end
    end)
    r[#r + 1] = fname .. ":" .. (ok and "ok" or tostring(err):gsub("^.-:%d+: ", ""))
  end
  print(string.format("%-8s %s", p, table.concat(r, " | ")))
end
-- 32 captures is the limit
local p32 = string.rep("(a)", 32)
local p33 = string.rep("(a)", 33)
print(select("#", string.match(string.rep("a", 40), p32)))
print(pcall(string.match, string.rep("a", 40), p33))
-- deep recursion in the matcher
local ok, err = pcall(string.match, string.rep("a", 300000), string.rep("a?", 300000) .. "b")
print(ok, err and err:match("too complex") or err)
