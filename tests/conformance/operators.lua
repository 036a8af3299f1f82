-- Operator precedence and associativity for every level: or, and,
-- comparison, |, ~, &, shifts, .., + -, * / // %, unary (not # - ~), ^;
-- right associativity of .. and ^; unary minus vs ^; and short-circuit
-- evaluation of and/or with their value semantics.
print(2 + 3 * 4, (2 + 3) * 4, 2 ^ 3 ^ 2, (2 ^ 3) ^ 2, -2 ^ 2, (-2) ^ 2)
print(1 .. 2 .. 3, "a" .. "b" == "ab", 1 + 2 .. "", 2 * 3 .. 4 * 5)
print(not nil == true, not (nil == true), not 1 == 2, #"abc" + 1, -#"ab")
print(1 < 2 == true, "a" < "b" == not false)
print(1 | 2 ~ 3 & 4, 1 | (2 ~ (3 & 4)), 5 & 3 << 1, 5 & (3 << 1), 1 << 2 + 1)
print(7 // 2 * 2 + 7 % 2, -7 // 2, -(7 // 2), 7 // -2 % 3)
print(2 ^ -1, -2 ^ -2, 2 ^ 0.5 * 2)
print(1 .. 2 == "12", 10 - 2 - 3, 100 / 10 / 5, 2 ^ 2 ^ 3)
print(~5 + 1, ~(5 + 1), - -5, not not nil, - - -5)
print(3 > 2 and 2 > 1, 3 > 2 and 1 > 2 or "fallback")
-- and / or return operands
print(nil and 1, false and 1, 0 and 1, "" and "s", 1 and nil)
print(nil or 1, false or nil, 0 or 1, nil or false, false or false)
print(1 and 2 or 3, nil and 2 or 3, 1 and false or 3, 1 and nil or false)
-- short circuit: the right side is not evaluated
local evaluated = {}
local function mark(name, v) evaluated[#evaluated + 1] = name return v end
local _ = mark("a", false) and mark("b", true)
_ = mark("c", true) or mark("d", true)
_ = mark("e", nil) or mark("f", 1) and mark("g", nil)
print(table.concat(evaluated, " "))
-- comparisons chain through and
local x = 5
print(1 < x and x < 10, x > 10 or x < 0)
-- not of every value type
print(not nil, not false, not 0, not "", not {}, not print)
-- equality of different types and same values
print(1 == 1.0, "1" == 1, 0 == -0, 1/0 == math.huge, "abc" == "a" .. "bc")
-- string comparison uses byte order
print("a" < "b", "Z" < "a", "abc" < "abd", "ab" < "abc", "" < " ", "\0" < "\1")
-- concatenation of numbers needs spaces in source
print(1 .. "", 1.5 .. "|" .. -2)
-- arithmetic on mixed operands inside larger expressions
print(1 + 2 * 3 - 4 / 2, (1 + 2) * (3 - 4) / 2, 2 * 3 % 4, 2 + 3 // 2)
print(10 - 2 ^ 2 * 2 // 3)
