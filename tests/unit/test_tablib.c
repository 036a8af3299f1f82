/*
 * The table library's hard cases: table.sort with comparators that lie,
 * raise, yield or change the array; adversarial inputs that would make a
 * plain quicksort quadratic; table.unpack over huge ranges; table.move
 * with every kind of overlap, checked against memmove semantics; insert
 * and remove against a reference model; and the library functions called
 * straight from C with hostile arguments.
 *
 * The scripts use only the base, table and math libraries.  Each check()
 * runs a chunk that returns true, or a string saying what went wrong.
 */
#define _GNU_SOURCE     /* memmem */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"

static coro_VM *vm;

/* Helpers the scripts share (globals). */
static const char prelude[] =
    /* A multiset of the values in t[1..n], as value -> count. */
    "function bag(t, n)\n"
    "  local b = {}\n"
    "  for i = 1, n do local v = t[i]; if v ~= nil then b[v] = (b[v] or 0) + 1 end end\n"
    "  return b\n"
    "end\n"
    "function same_bag(a, b)\n"
    "  for k, v in pairs(a) do if b[k] ~= v then return false end end\n"
    "  for k, v in pairs(b) do if a[k] ~= v then return false end end\n"
    "  return true\n"
    "end\n"
    "function is_sorted(t, n, lt)\n"
    "  lt = lt or function(a, b) return a < b end\n"
    "  for i = 2, n do if lt(t[i], t[i - 1]) then return false end end\n"
    "  return true\n"
    "end\n"
    /* The message of an error, with any 'chunk:line: ' prefix. */
    "function errmsg(f, ...)\n"
    "  local ok, e = pcall(f, ...)\n"
    "  if ok then return nil end\n"
    "  return tostring(e)\n"
    "end\n";

/* has(s, part): whether part occurs in s (the scripts have no string
 * library to search with). */
static int script_has(coro_VM *v)
{
    size_t ls, lp;
    const char *s = coro_tolstring(v, 1, &ls);
    const char *p = coro_checklstring(v, 2, &lp);
    coro_pushboolean(v, s != NULL && memmem(s, ls, p, lp) != NULL);
    return 1;
}

static void setup(void)
{
    vm = coro_new(NULL);
    cr_assert_not_null(vm);
    coro_open_libs(vm);
    coro_pushcfunction(vm, script_has);
    coro_setglobal(vm, "has");
    cr_assert_eq(coro_dostring(vm, prelude), CORO_OK, "%s", coro_tostring(vm, -1));
    coro_settop(vm, 0);
}

static void teardown(void)
{
    coro_free(vm);
}

TestSuite(tablib, .init = setup, .fini = teardown, .timeout = 60);

/* Runs code, which must return true (anything else is the failure's
 * description). */
static void check(const char *code)
{
    int top = coro_gettop(vm);
    int status = coro_dostring(vm, code);
    cr_assert_eq(status, CORO_OK, "script failed: %s", coro_tostring(vm, -1));
    cr_assert_eq(coro_gettop(vm), top + 1, "the script must return one value");
    if (coro_type(vm, -1) != CORO_TBOOLEAN || !coro_toboolean(vm, -1))
        cr_assert_fail("%s", coro_tolstring_meta(vm, -1, NULL));
    coro_settop(vm, top);
}

/* ---- sort: comparators that are not orders --------------------------------- */

Test(tablib, sort_always_true_comparator)
{
    check("for n = 0, 300 do\n"
          "  local t = {}\n"
          "  for i = 1, n do t[i] = (i * 7919) % 13 end\n"
          "  local before = bag(t, n)\n"
          "  local e = errmsg(table.sort, t, function() return true end)\n"
          "  if e and not has(e, 'invalid order function for sorting') then return e end\n"
          "  if not same_bag(before, bag(t, n)) then return 'elements lost at n=' .. n end\n"
          "  if #t ~= n then return 'length changed at n=' .. n end\n"
          "end\n"
          "return true");
}

Test(tablib, sort_always_true_large_raises)
{
    check("local t = {}\n"
          "for i = 1, 100 do t[i] = 1 end\n"
          "local e = errmsg(table.sort, t, function() return true end)\n"
          "return has(e, 'invalid order function for sorting') or tostring(e)");
}

Test(tablib, sort_always_false_comparator_is_an_order)
{
    check("for n = 0, 200 do\n"
          "  local t = {}\n"
          "  for i = 1, n do t[i] = (i * 31) % 17 end\n"
          "  local before = bag(t, n)\n"
          "  table.sort(t, function() return false end)\n"
          "  if not same_bag(before, bag(t, n)) then return 'elements lost at n=' .. n end\n"
          "end\n"
          "return true");
}

Test(tablib, sort_random_comparator)
{
    check("math.randomseed(1234)\n"
          "for trial = 1, 400 do\n"
          "  local n = math.random(0, 300)\n"
          "  local t = {}\n"
          "  for i = 1, n do t[i] = math.random(1, 50) end\n"
          "  local before = bag(t, n)\n"
          "  local e = errmsg(table.sort, t, function() return math.random(2) == 1 end)\n"
          "  if e and not has(e, 'invalid order function for sorting') then return e end\n"
          "  if not same_bag(before, bag(t, n)) then return 'elements lost, trial ' .. trial end\n"
          "end\n"
          "return true");
}

Test(tablib, sort_non_strict_comparator)
{
    /* <= is not a strict order: either it sorts or it is detected. */
    check("for n = 2, 300 do\n"
          "  local t = {}\n"
          "  for i = 1, n do t[i] = i % 7 end\n"
          "  local before = bag(t, n)\n"
          "  local e = errmsg(table.sort, t, function(a, b) return a <= b end)\n"
          "  if e and not has(e, 'invalid order function for sorting') then return e end\n"
          "  if not same_bag(before, bag(t, n)) then return 'elements lost at n=' .. n end\n"
          "  if not e and not is_sorted(t, n) then return 'unsorted at n=' .. n end\n"
          "end\n"
          "return true");
}

Test(tablib, sort_comparator_that_raises_keeps_the_elements)
{
    check("math.randomseed(99)\n"
          "for trial = 1, 200 do\n"
          "  local n = math.random(2, 400)\n"
          "  local t = {}\n"
          "  for i = 1, n do t[i] = math.random(1000) end\n"
          "  local before = bag(t, n)\n"
          "  local calls, limit = 0, math.random(1, 3 * n)\n"
          "  local e = errmsg(table.sort, t, function(a, b)\n"
          "    calls = calls + 1\n"
          "    if calls == limit then error('stop') end\n"
          "    return a < b\n"
          "  end)\n"
          "  if e and not has(e, 'stop') then return e end\n"
          "  if not same_bag(before, bag(t, n)) then return 'elements lost, trial ' .. trial end\n"
          "end\n"
          "return true");
}

Test(tablib, sort_comparator_that_changes_the_array)
{
    /* Whatever the comparator does to the array, sort stays in bounds
     * and either finishes or raises. */
    check("math.randomseed(7)\n"
          "for trial = 1, 300 do\n"
          "  local n = math.random(2, 200)\n"
          "  local t = {}\n"
          "  for i = 1, n do t[i] = math.random(100) end\n"
          "  pcall(table.sort, t, function(a, b)\n"
          "    local r = math.random(4)\n"
          "    if r == 1 then t[math.random(n)] = nil\n"
          "    elseif r == 2 then t[#t + 1] = 5\n"
          "    elseif r == 3 then t[math.random(n)] = {} end\n"
          "    if type(a) ~= 'number' or type(b) ~= 'number' then return false end\n"
          "    return a < b\n"
          "  end)\n"
          "end\n"
          "return true");
}

Test(tablib, sort_incomparable_values)
{
    check("local e = errmsg(table.sort, {3, {}, 1, 2, 5, 4})\n"
          "return has(e, 'attempt to compare') or tostring(e)");
}

Test(tablib, sort_comparator_cannot_yield)
{
    check("local co = coroutine.create(function()\n"
          "  table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end)\n"
          "end)\n"
          "local ok, e = coroutine.resume(co)\n"
          "if ok then return 'the yield went through' end\n"
          "return has(e, 'attempt to yield across a C-call boundary') or e");
}

/* ---- sort: inputs that make plain quicksorts slow ------------------------------ */

/* McIlroy's adversary ("A Killer Adversary for Quicksort", 1999): it
 * decides the order lazily so as to make any quicksort go quadratic. */
Test(tablib, sort_resists_the_quicksort_adversary)
{
    check("local n = 20000\n"
          "local gas = n + 1\n"
          "local val = {}\n"
          "for i = 1, n do val[i] = gas end\n"
          "local nsolid, candidate, count = 0, 0, 0\n"
          "local a = {}\n"
          "for i = 1, n do a[i] = i end\n"
          "table.sort(a, function(x, y)\n"
          "  count = count + 1\n"
          "  if val[x] == gas and val[y] == gas then\n"
          "    if x == candidate then val[x] = nsolid else val[y] = nsolid end\n"
          "    nsolid = nsolid + 1\n"
          "  end\n"
          "  if val[x] == gas then candidate = x elseif val[y] == gas then candidate = y end\n"
          "  return val[x] < val[y]\n"
          "end)\n"
          "for i = 2, n do if val[a[i - 1]] > val[a[i]] then return 'unsorted' end end\n"
          "local bound = 8 * n * math.log(n, 2)\n"
          "return count < bound or ('too many comparisons: ' .. count)");
}

Test(tablib, sort_patterned_inputs_stay_n_log_n)
{
    check("local n = 30000\n"
          "local shapes = {\n"
          "  function(i) return i end,\n"
          "  function(i) return -i end,\n"
          "  function(i) return 5 end,\n"
          "  function(i) return i <= n // 2 and i or n - i end,\n"
          "  function(i) return i % 2 == 0 and i or -i end,\n"
          "  function(i) return (i * 7919) % n end,\n"
          "  function(i) return i % 3 end,\n"
          "}\n"
          "for s, f in ipairs(shapes) do\n"
          "  local t, count = {}, 0\n"
          "  for i = 1, n do t[i] = f(i) end\n"
          "  table.sort(t, function(a, b) count = count + 1 return a < b end)\n"
          "  if not is_sorted(t, n) then return 'shape ' .. s .. ' unsorted' end\n"
          "  if count > 8 * n * math.log(n, 2) then return 'shape ' .. s .. ': ' .. count end\n"
          "end\n"
          "return true");
}

Test(tablib, sort_through_metamethods)
{
    check("local store = {5, 3, 9, 1, 7, 2, 8}\n"
          "local p = setmetatable({}, {\n"
          "  __index = function(_, k) return store[k] end,\n"
          "  __newindex = function(_, k, v) store[k] = v end,\n"
          "  __len = function() return #store end })\n"
          "table.sort(p)\n"
          "return table.concat(store, ',') == '1,2,3,5,7,8,9' or table.concat(store, ',')");
}

Test(tablib, sort_rejects_huge_lengths)
{
    check("local t = setmetatable({}, {__len = function() return math.maxinteger end})\n"
          "local e = errmsg(table.sort, t)\n"
          "return has(e, 'array too big') or tostring(e)");
}

/* ---- unpack over huge ranges ---------------------------------------------------- */

Test(tablib, unpack_huge_ranges)
{
    check("local mi, ma = math.mininteger, math.maxinteger\n"
          "for _, r in ipairs({{1, 1e8}, {mi, ma}, {0, ma}, {mi, 0}, {-1, ma}, {1, 1 << 31},\n"
          "                    {1, (1 << 31) - 1}, {-(1 << 31), 1 << 31}, {ma - (1 << 40), ma}}) do\n"
          "  local e = errmsg(table.unpack, {}, r[1], r[2])\n"
          "  if not has(e, 'too many results to unpack') then\n"
          "    return 'range ' .. r[1] .. '..' .. r[2] .. ': ' .. tostring(e)\n"
          "  end\n"
          "end\n"
          "if select('#', table.unpack({}, ma - 1, ma)) ~= 2 then return 'end of range' end\n"
          "if select('#', table.unpack({}, mi, mi + 1)) ~= 2 then return 'start of range' end\n"
          "if select('#', table.unpack({}, ma, mi)) ~= 0 then return 'empty range' end\n"
          "if select('#', table.unpack({}, 1, 100000)) ~= 100000 then return 'big range' end\n"
          "return true");
}

Test(tablib, unpack_uses_index_metamethod_at_extreme_keys)
{
    check("local seen = {}\n"
          "local p = setmetatable({}, {__index = function(_, k) seen[#seen + 1] = k return k end})\n"
          "local a, b = table.unpack(p, math.maxinteger - 1, math.maxinteger)\n"
          "return a == math.maxinteger - 1 and b == math.maxinteger and #seen == 2");
}

/* ---- move: overlaps, against memmove ----------------------------------------------- */

Test(tablib, move_matches_memmove)
{
    check("math.randomseed(42)\n"
          "for trial = 1, 3000 do\n"
          "  local n = 12\n"
          "  local t = {}\n"
          "  for i = -2, n + 8 do t[i] = i * 10 end\n"
          "  local f, e, d = math.random(-2, n), math.random(-2, n), math.random(-2, n)\n"
          "  local same = math.random(3)\n"
          "  local dst = same == 1 and {} or t\n"
          "  local expect = {}\n"
          "  for i = -2, n + 20 do expect[i] = dst[i] end\n"
          "  for i = 0, e - f do expect[d + i] = t[f + i] end\n"
          "  local r = same == 3 and table.move(t, f, e, d, t)\n"
          "            or same == 2 and table.move(t, f, e, d)\n"
          "            or table.move(t, f, e, d, dst)\n"
          "  if r ~= dst then return 'wrong result table' end\n"
          "  for i = -2, n + 20 do\n"
          "    if dst[i] ~= expect[i] then\n"
          "      return 'move(' .. f .. ', ' .. e .. ', ' .. d .. ') mode ' .. same .. ': index ' .. i\n"
          "    end\n"
          "  end\n"
          "end\n"
          "return true");
}

Test(tablib, move_direction_follows_eq_metamethod)
{
    /* Two tables that __eq calls equal are treated as one: the copy runs
     * backwards for an overlap from above, as Lua does. */
    check("local log = {}\n"
          "local mt = {__eq = function() return true end,\n"
          "            __newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end}\n"
          "local a = setmetatable({1, 2, 3}, mt)\n"
          "local b = setmetatable({}, mt)\n"
          "table.move(a, 1, 3, 2, b)\n"
          "return table.concat(log, ',') == '4,3,2' or table.concat(log, ',')");
}

Test(tablib, move_limits)
{
    check("local mi, ma = math.mininteger, math.maxinteger\n"
          "local cases = {\n"
          "  {1, ma, 2, 'destination wrap around'},\n"
          "  {-1, ma, 2, 'too many elements to move'},\n"
          "  {0, ma, 1, 'too many elements to move'},\n"
          "  {mi, -1, 1, 'too many elements to move'},\n"
          "  {1, 2, ma, 'destination wrap around'},\n"
          "  {mi + 1, 0, 1, 'too many elements to move'},\n"
          "}\n"
          "for _, c in ipairs(cases) do\n"
          "  local e = errmsg(table.move, {}, c[1], c[2], c[3])\n"
          "  if not has(e, c[4]) then return c[1] .. ',' .. c[2] .. ',' .. c[3] .. ': ' .. tostring(e) end\n"
          "end\n"
          "local t = table.move({[ma] = 'x'}, ma, ma, 1)\n"
          "if t[1] ~= 'x' then return 'last index' end\n"
          "t = table.move({[mi] = 'y'}, mi, mi, ma)\n"
          "if t[ma] ~= 'y' then return 'first index' end\n"
          "return true");
}

/* ---- insert and remove against a model --------------------------------------------- */

Test(tablib, insert_remove_model)
{
    check("math.randomseed(5)\n"
          "local t, m = {}, {}\n"
          "for step = 1, 5000 do\n"
          "  local n = #m\n"
          "  local op = math.random(4)\n"
          "  if op == 1 then\n"
          "    local v = math.random(1000)\n"
          "    table.insert(t, v); m[n + 1] = v\n"
          "  elseif op == 2 then\n"
          "    local p, v = math.random(1, n + 1), math.random(1000)\n"
          "    table.insert(t, p, v)\n"
          "    for i = n, p, -1 do m[i + 1] = m[i] end\n"
          "    m[p] = v\n"
          "  elseif op == 3 and n > 0 then\n"
          "    local p = math.random(1, n)\n"
          "    local got = table.remove(t, p)\n"
          "    if got ~= m[p] then return 'remove returned the wrong value' end\n"
          "    for i = p, n - 1 do m[i] = m[i + 1] end\n"
          "    m[n] = nil\n"
          "  else\n"
          "    local got = table.remove(t)\n"
          "    if got ~= m[n] then return 'pop returned the wrong value' end\n"
          "    if n > 0 then m[n] = nil end\n"
          "  end\n"
          "  if #t ~= #m then return 'length differs at step ' .. step end\n"
          "end\n"
          "for i = 1, #m do if t[i] ~= m[i] then return 'differs at ' .. i end end\n"
          "return true");
}

Test(tablib, insert_remove_bounds)
{
    check("local mi, ma = math.mininteger, math.maxinteger\n"
          "for _, p in ipairs({0, -1, 5, mi, ma}) do\n"
          "  if not has(errmsg(table.insert, {1, 2, 3}, p, 'x'), 'position out of bounds') then\n"
          "    return 'insert at ' .. p end\n"
          "end\n"
          "for _, p in ipairs({0, -1, 5, mi, ma}) do\n"
          "  if not has(errmsg(table.remove, {1, 2, 3}, p), 'position out of bounds') then\n"
          "    return 'remove at ' .. p end\n"
          "end\n"
          "if not has(errmsg(table.insert, {}, 1, 2, 3), \"wrong number of arguments to 'insert'\") then\n"
          "  return 'argument count' end\n"
          "local t = {1, 2, 3}\n"
          "if table.remove(t, 4) ~= nil or #t ~= 3 then return 'remove at n+1' end\n"
          "return true");
}

/* ---- calls straight from C --------------------------------------------------------- */

/* Calls table.<name> from C with the arguments pushed by push; returns the
 * status. */
static int call_table_function(const char *name, void (*push)(void), int nargs)
{
    coro_getglobal(vm, "table");
    coro_getfield(vm, -1, name);
    coro_remove(vm, -2);
    push();
    return coro_pcall(vm, nargs, CORO_MULTRET, 0);
}

static void push_extreme_unpack(void)
{
    coro_newtable(vm);
    coro_pushinteger(vm, INT64_MIN);
    coro_pushinteger(vm, INT64_MAX);
}

static void push_extreme_move(void)
{
    coro_newtable(vm);
    coro_pushinteger(vm, INT64_MIN);
    coro_pushinteger(vm, INT64_MAX);
    coro_pushinteger(vm, INT64_MIN);
}

static void push_userdata_without_metatable(void)
{
    coro_newuserdata(vm, 16);
    coro_pushinteger(vm, 1);
}

Test(tablib, c_calls_with_hostile_arguments)
{
    int top = coro_gettop(vm);
    cr_assert_neq(call_table_function("unpack", push_extreme_unpack, 3), CORO_OK);
    coro_settop(vm, top);
    cr_assert_neq(call_table_function("move", push_extreme_move, 4), CORO_OK);
    coro_settop(vm, top);
    cr_assert_neq(call_table_function("insert", push_userdata_without_metatable, 2), CORO_OK);
    cr_assert_str_eq(coro_tostring(vm, -1),
                     "bad argument #1 to 'table.insert' (table expected, got userdata)");
    coro_settop(vm, top);
}

Test(tablib, pack_many_values_from_c)
{
    coro_getglobal(vm, "table");
    coro_getfield(vm, -1, "pack");
    for (int i = 0; i < 10000; i++) {
        cr_assert(coro_checkstack(vm, 1));
        coro_pushinteger(vm, i);
    }
    cr_assert_eq(coro_pcall(vm, 10000, 1, 0), CORO_OK);
    coro_getfield(vm, -1, "n");
    cr_assert_eq(coro_tointeger(vm, -1), 10000);
    coro_pop(vm, 1);
    coro_geti(vm, -1, 10000);
    cr_assert_eq(coro_tointeger(vm, -1), 9999);
}
