/*
 * test_parser.c: the grammar (every statement and expression form, the
 * precedence table, Coro's coroutine syntax), the tree's details, Lua's
 * error messages, nesting limits, huge inputs and allocation failures.
 *
 * Trees are compared as text: either as printed by coro_ast_print, or,
 * for expressions, fully parenthesised by sexpr() below.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "mem.h"

static AstParseStatus parse_len(AstParse *p, const char *src, size_t len)
{
    memset(p, 0, sizeof *p);
    p->alloc = coro_mem_system_alloc;
    p->chunkid = "t";
    p->source = src;
    p->length = len;
    return coro_ast_parse(p);
}

static AstParseStatus parse(AstParse *p, const char *src)
{
    return parse_len(p, src, strlen(src));
}

static const AstNode *main_block(const AstParse *p)
{
    return p->root->u.function.body;
}

/* The statements of a chunk as printed by coro_ast_print. */
static char *stat_tree(const char *src)
{
    AstParse p;
    AstParseStatus st = parse(&p, src);
    cr_assert_eq(st, AST_PARSE_OK, "%s: %s", src, p.errmsg);
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    const AstList *stats = &main_block(&p)->u.block.stats;
    for (int i = 0; i < stats->count; i++)
        coro_ast_print(f, stats->items[i]);
    fclose(f);
    coro_ast_parse_free(&p);
    return out;
}

static void expect_tree(const char *src, const char *tree)
{
    char *got = stat_tree(src);
    cr_expect_str_eq(got, tree, "source: %s\n--- got:\n%s--- expected:\n%s",
                     src, got, tree);
    free(got);
}

/* ---- expressions as parenthesised text ----------------------------------- */

static void sexpr_node(FILE *f, const AstNode *n);

static void sexpr_list(FILE *f, const AstList *l)
{
    for (int i = 0; i < l->count; i++) {
        if (i)
            fputs(", ", f);
        sexpr_node(f, l->items[i]);
    }
}

static void sexpr_node(FILE *f, const AstNode *n)
{
    switch (n->kind) {
    case AST_NIL: fputs("nil", f); break;
    case AST_TRUE: fputs("true", f); break;
    case AST_FALSE: fputs("false", f); break;
    case AST_VARARG: fputs("...", f); break;
    case AST_INTEGER: fprintf(f, "%lld", (long long)n->u.integer); break;
    case AST_FLOAT: fprintf(f, "%g", n->u.number); break;
    case AST_STRING: fprintf(f, "\"%s\"", n->u.string.data); break;
    case AST_NAME: fputs(n->u.name.id.data, f); break;
    case AST_INDEX:
        sexpr_node(f, n->u.index.object);
        if (n->u.index.key->kind == AST_STRING) {
            fprintf(f, ".%s", n->u.index.key->u.string.data);
        } else {
            fputc('[', f);
            sexpr_node(f, n->u.index.key);
            fputc(']', f);
        }
        break;
    case AST_CALL:
        sexpr_node(f, n->u.call.fn);
        fputc('(', f);
        sexpr_list(f, &n->u.call.args);
        fputc(')', f);
        break;
    case AST_METHOD_CALL:
        sexpr_node(f, n->u.method.object);
        fprintf(f, ":%s(", n->u.method.name->u.string.data);
        sexpr_list(f, &n->u.method.args);
        fputc(')', f);
        break;
    case AST_FUNCTION:
        fputs(n->u.function.is_async ? "async function" : "function", f);
        break;
    case AST_TABLE:
        fputc('{', f);
        for (int i = 0; i < n->u.table.count; i++) {
            const AstField *fd = &n->u.table.fields[i];
            if (i)
                fputs(", ", f);
            if (fd->key) {
                fputc('[', f);
                sexpr_node(f, fd->key);
                fputs("]=", f);
            }
            sexpr_node(f, fd->value);
        }
        fputc('}', f);
        break;
    case AST_BINARY:
        fputc('(', f);
        sexpr_node(f, n->u.binary.left);
        fprintf(f, " %s ", coro_ast_binary_op_name(n->u.binary.op));
        sexpr_node(f, n->u.binary.right);
        fputc(')', f);
        break;
    case AST_UNARY:
        fprintf(f, "(%s%s", coro_ast_unary_op_name(n->u.unary.op),
                n->u.unary.op == AST_OP_NOT ? " " : "");
        sexpr_node(f, n->u.unary.operand);
        fputc(')', f);
        break;
    case AST_PAREN:
        fputs("paren(", f);
        sexpr_node(f, n->u.paren);
        fputc(')', f);
        break;
    case AST_YIELD:
        fputs("(yield", f);
        if (n->u.yield.values.count)
            fputc(' ', f);
        sexpr_list(f, &n->u.yield.values);
        fputc(')', f);
        break;
    case AST_YIELD_FROM:
        fputs("(yield from ", f);
        sexpr_node(f, n->u.operand);
        fputc(')', f);
        break;
    case AST_AWAIT:
        fputs("(await ", f);
        sexpr_node(f, n->u.operand);
        fputc(')', f);
        break;
    default:
        fprintf(f, "<%s>", coro_ast_kind_name((AstKind)n->kind));
    }
}

/* The values of `return <src>`, parenthesised. */
static char *sexpr(const char *src)
{
    size_t n = strlen(src) + 16;
    char *chunk = malloc(n);
    snprintf(chunk, n, "return %s", src);
    AstParse p;
    AstParseStatus st = parse(&p, chunk);
    cr_assert_eq(st, AST_PARSE_OK, "%s: %s", chunk, p.errmsg);
    const AstList *stats = &main_block(&p)->u.block.stats;
    const AstNode *ret = stats->items[stats->count - 1];
    cr_assert_eq(ret->kind, AST_RETURN);
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    sexpr_list(f, &ret->u.return_.values);
    fclose(f);
    coro_ast_parse_free(&p);
    free(chunk);
    return out;
}

static void expect_expr(const char *src, const char *shape)
{
    char *got = sexpr(src);
    cr_expect_str_eq(got, shape, "%s", src);
    free(got);
}

static void expect_error(const char *src, const char *message)
{
    AstParse p;
    AstParseStatus st = parse(&p, src);
    cr_expect_eq(st, AST_PARSE_SYNTAX_ERROR, "%s: status %d", src, st);
    cr_expect_str_eq(p.errmsg, message, "source: %s", src);
    cr_expect_null(p.root);
    coro_ast_parse_free(&p);
}

static void expect_ok(const char *src)
{
    AstParse p;
    AstParseStatus st = parse(&p, src);
    cr_expect_eq(st, AST_PARSE_OK, "%s: %s", src, p.errmsg);
    coro_ast_parse_free(&p);
}

/* ---- precedence and associativity ----------------------------------------- */

Test(precedence, each_level_binds_tighter_than_the_one_before)
{
    expect_expr("a or b and c", "(a or (b and c))");
    expect_expr("a and b < c", "(a and (b < c))");
    expect_expr("a < b | c", "(a < (b | c))");
    expect_expr("a | b ~ c", "(a | (b ~ c))");
    expect_expr("a ~ b & c", "(a ~ (b & c))");
    expect_expr("a & b << c", "(a & (b << c))");
    expect_expr("a << b .. c", "(a << (b .. c))");
    expect_expr("a .. b + c", "(a .. (b + c))");
    expect_expr("a + b * c", "(a + (b * c))");
    expect_expr("a * -b", "(a * (-b))");
    expect_expr("-a ^ b", "(-(a ^ b))");
}

Test(precedence, in_reverse_order)
{
    expect_expr("a and b or c", "((a and b) or c)");
    expect_expr("a < b and c", "((a < b) and c)");
    expect_expr("a | b < c", "((a | b) < c)");
    expect_expr("a ~ b | c", "((a ~ b) | c)");
    expect_expr("a & b ~ c", "((a & b) ~ c)");
    expect_expr("a << b & c", "((a << b) & c)");
    expect_expr("a .. b << c", "((a .. b) << c)");
    expect_expr("a + b .. c", "((a + b) .. c)");
    expect_expr("a * b + c", "((a * b) + c)");
    expect_expr("-a * b", "((-a) * b)");
    expect_expr("a ^ b * c", "((a ^ b) * c)");
}

Test(precedence, operators_within_a_level)
{
    expect_expr("a < b <= c > d >= e == f ~= g",
                "((((((a < b) <= c) > d) >= e) == f) ~= g)");
    expect_expr("a << b >> c", "((a << b) >> c)");
    expect_expr("a + b - c + d", "(((a + b) - c) + d)");
    expect_expr("a * b / c // d % e", "((((a * b) / c) // d) % e)");
    expect_expr("a - b - c", "((a - b) - c)");
}

Test(precedence, left_associative_chains)
{
    expect_expr("a or b or c", "((a or b) or c)");
    expect_expr("a and b and c", "((a and b) and c)");
    expect_expr("a | b | c", "((a | b) | c)");
    expect_expr("a ~ b ~ c", "((a ~ b) ~ c)");
    expect_expr("a & b & c", "((a & b) & c)");
}

Test(precedence, right_associative_operators)
{
    expect_expr("a .. b .. c", "(a .. (b .. c))");
    expect_expr("a ^ b ^ c", "(a ^ (b ^ c))");
    expect_expr("2 ^ -3 ^ 2", "(2 ^ (-(3 ^ 2)))");
    expect_expr("a .. b + c .. d", "(a .. ((b + c) .. d))");
}

Test(precedence, unary_operators)
{
    expect_expr("not a == b", "((not a) == b)");
    expect_expr("not not a", "(not (not a))");
    expect_expr("- -a", "(-(-a))");
    expect_expr("#a + 1", "((#a) + 1)");
    expect_expr("~a & b", "((~a) & b)");
    expect_expr("a ~ ~b", "(a ~ (~b))");
    expect_expr("-a .. b", "((-a) .. b)");
    expect_expr("#t[1]", "(#t[1])");
    expect_expr("-f(x).y ^ 2", "(-(f(x).y ^ 2))");
}

Test(precedence, parentheses)
{
    expect_expr("(a + b) * c", "(paren((a + b)) * c)");
    expect_expr("((a))", "paren(paren(a))");
    expect_expr("(f())", "paren(f())");
}

/* ---- expressions ------------------------------------------------------------ */

Test(expressions, simple_values)
{
    expect_expr("nil, true, false, 1, 2.5, 'x', ...", "nil, true, false, 1, 2.5, \"x\", ...");
    expect_expr("function() end", "function");
}

Test(expressions, prefix_expressions)
{
    expect_expr("a.b.c", "a.b.c");
    expect_expr("a[b][c]", "a[b][c]");
    expect_expr("a.b[c].d", "a.b[c].d");
    expect_expr("f()", "f()");
    expect_expr("f(1, 2)", "f(1, 2)");
    expect_expr("f'x'", "f(\"x\")");
    expect_expr("f[[x]]", "f(\"x\")");
    expect_expr("f{1}", "f({1})");
    expect_expr("f()()", "f()()");
    expect_expr("o:m()", "o:m()");
    expect_expr("o:m(1, 2)", "o:m(1, 2)");
    expect_expr("o:m'x'", "o:m(\"x\")");
    expect_expr("o:m{}", "o:m({})");
    expect_expr("a.b:c(d).e[f]:g()", "a.b:c(d).e[f]:g()");
    expect_expr("(f).x", "paren(f).x");
    expect_expr("('x'):rep(3)", "paren(\"x\"):rep(3)");
}

Test(expressions, table_constructors)
{
    expect_expr("{}", "{}");
    expect_expr("{1, 2, 3}", "{1, 2, 3}");
    expect_expr("{1; 2; 3;}", "{1, 2, 3}");
    expect_expr("{1, 2,}", "{1, 2}");
    expect_expr("{x = 1, ['y'] = 2, [3] = 4, 5}", "{[\"x\"]=1, [\"y\"]=2, [3]=4, 5}");
    expect_expr("{[f(1)] = g; 'x', 'y'; x = 1, f(x), [30] = 23; 45}",
                "{[f(1)]=g, \"x\", \"y\", [\"x\"]=1, f(x), [30]=23, 45}");
    expect_expr("{{}, {{}}}", "{{}, {{}}}");
    expect_expr("{x}", "{x}");
    expect_expr("{x.y}", "{x.y}");
}

Test(expressions, calls_across_lines)
{
    /* Lua's `a = b \n (f)()` is a call of b. */
    expect_tree("a = b\n(f)()",
                "assign @1\n"
                "  target: name a @1\n"
                "  value: call @1\n"
                "    call @1\n"
                "      name b @1\n"
                "      name f @2\n");
}

/* ---- statements ------------------------------------------------------------- */

Test(statements, local)
{
    expect_tree("local x <const>, y <close>, z = 1, f()",
                "local x <const>, y <close>, z @1\n"
                "  integer 1 @1\n"
                "  call @1\n"
                "    name f @1\n");
    expect_tree("local a", "local a @1\n");
}

Test(statements, assignment)
{
    expect_tree("a, b.c, d[1] = 1, 2",
                "assign @1\n"
                "  target: name a @1\n"
                "  target: index @1\n"
                "    name b @1\n"
                "    string \"c\" @1\n"
                "  target: index @1\n"
                "    name d @1\n"
                "    integer 1 @1\n"
                "  value: integer 1 @1\n"
                "  value: integer 2 @1\n");
    expect_tree("f().x = 1",
                "assign @1\n"
                "  target: index @1\n"
                "    call @1\n"
                "      name f @1\n"
                "    string \"x\" @1\n"
                "  value: integer 1 @1\n");
}

Test(statements, calls)
{
    expect_tree("f() o:m(1) g'x' h{}",
                "expression statement @1\n"
                "  call @1\n"
                "    name f @1\n"
                "expression statement @1\n"
                "  method call :m @1\n"
                "    name o @1\n"
                "    integer 1 @1\n"
                "expression statement @1\n"
                "  call @1\n"
                "    name g @1\n"
                "    string \"x\" @1\n"
                "expression statement @1\n"
                "  call @1\n"
                "    name h @1\n"
                "    table @1\n");
}

Test(statements, blocks_and_loops)
{
    expect_tree("do ; end while a do break end repeat local x until x",
                "do @1\n"
                "  block @1-1\n"
                "while @1\n"
                "  cond: name a @1\n"
                "  block @1-1\n"
                "    break @1\n"
                "repeat @1\n"
                "  block @1-1\n"
                "    local x @1\n"
                "  until: name x @1\n");
}

Test(statements, if_chains)
{
    expect_tree("if a then x() elseif b then y() elseif c then else z() end",
                "if @1\n"
                "  cond: name a @1\n"
                "  then: block @1-1\n"
                "    expression statement @1\n"
                "      call @1\n"
                "        name x @1\n"
                "  cond: name b @1\n"
                "  then: block @1-1\n"
                "    expression statement @1\n"
                "      call @1\n"
                "        name y @1\n"
                "  cond: name c @1\n"
                "  then: block @1-1\n"
                "  else: block @1-1\n"
                "    expression statement @1\n"
                "      call @1\n"
                "        name z @1\n");
    expect_tree("if a then end",
                "if @1\n"
                "  cond: name a @1\n"
                "  then: block @1-1\n");
}

Test(statements, for_loops)
{
    expect_tree("for i = 1, 10 do end for i = 10, 1, -1 do end",
                "numeric for i @1\n"
                "  start: integer 1 @1\n"
                "  limit: integer 10 @1\n"
                "  block @1-1\n"
                "numeric for i @1\n"
                "  start: integer 10 @1\n"
                "  limit: integer 1 @1\n"
                "  step: unary - @1\n"
                "    integer 1 @1\n"
                "  block @1-1\n");
    expect_tree("for k, v in pairs(t), x do end",
                "generic for k, v @1\n"
                "  in: call @1\n"
                "    name pairs @1\n"
                "    name t @1\n"
                "  in: name x @1\n"
                "  block @1-1\n");
}

Test(statements, functions)
{
    expect_tree("function f(a, b, ...) return ... end",
                "function statement @1\n"
                "  name f @1\n"
                "  function f(a, b, ...) @1-1\n"
                "    block @1-1\n"
                "      return @1\n"
                "        vararg @1\n");
    expect_tree("function a.b.c:m() end",
                "function statement @1\n"
                "  index @1\n"
                "    index @1\n"
                "      index @1\n"
                "        name a @1\n"
                "        string \"b\" @1\n"
                "      string \"c\" @1\n"
                "    string \"m\" @1\n"
                "  function a.b.c:m() method @1-1\n"
                "    block @1-1\n");
    expect_tree("local function f(...) end",
                "local function f @1\n"
                "  function f(...) @1-1\n"
                "    block @1-1\n");
    expect_tree("local g = function(x) end",
                "local g @1\n"
                "  function (x) @1-1\n"
                "    block @1-1\n");
}

Test(statements, return_forms)
{
    expect_tree("return", "return @1\n");
    expect_tree("return;", "return @1\n");
    expect_tree("return 1, 2;",
                "return @1\n"
                "  integer 1 @1\n"
                "  integer 2 @1\n");
    expect_tree("do return end", "do @1\n  block @1-1\n    return @1\n");
}

Test(statements, goto_and_labels)
{
    expect_tree("goto l ::l::", "goto l @1\nlabel l @1\n");
}

Test(statements, empty_statements)
{
    expect_tree(";;; ;", "");
    expect_tree("", "");
}

/* ---- coroutine syntax ------------------------------------------------------- */

Test(coroutines, yield_precedence)
{
    expect_expr("yield a + b", "(yield (a + b))");
    expect_expr("yield a or b", "(yield (a or b))");
    expect_expr("yield a .. b", "(yield (a .. b))");
    expect_expr("yield yield a", "(yield (yield a))");
    expect_expr("a or yield b or c", "(a or (yield (b or c)))");
    expect_expr("a + yield b * c", "(a + (yield (b * c)))");
    expect_expr("yield a, b", "(yield a), b");
    expect_expr("f(yield x)", "f((yield x))");
    expect_expr("f(yield x, y)", "f((yield x), y)");
    expect_expr("{yield x, y}", "{(yield x), y}");
    expect_expr("(yield x)", "paren((yield x))");
    expect_expr("yield -x", "(yield (-x))");
    expect_expr("yield (x)", "(yield paren(x))");
    expect_expr("yield f (x)", "(yield f(x))");
}

Test(coroutines, yield_in_local_and_assignment)
{
    expect_tree("local a, b = yield x",
                "local a, b @1\n"
                "  yield @1\n"
                "    name x @1\n");
    expect_tree("a, b = yield x, y",
                "assign @1\n"
                "  target: name a @1\n"
                "  target: name b @1\n"
                "  value: yield @1\n"
                "    name x @1\n"
                "  value: name y @1\n");
}

Test(coroutines, yield_statement_hands_all_values)
{
    expect_tree("yield 1, f()",
                "expression statement @1\n"
                "  yield @1\n"
                "    integer 1 @1\n"
                "    call @1\n"
                "      name f @1\n");
}

Test(coroutines, yield_from)
{
    expect_expr("yield from g", "(yield from g)");
    expect_expr("yield from a + b", "(yield from (a + b))");
    expect_expr("yield from f(x), 2", "(yield from f(x)), 2");
    expect_tree("yield from gen()",
                "expression statement @1\n"
                "  yield from @1\n"
                "    call @1\n"
                "      name gen @1\n");
    /* Only on the same line, right after yield. */
    expect_tree("yield\nfrom()",
                "expression statement @1\n"
                "  yield @1\n"
                "expression statement @2\n"
                "  call @2\n"
                "    name from @2\n");
}

Test(coroutines, bare_yield_before_each_closing_token)
{
    expect_expr("yield", "(yield)");
    expect_expr("(yield)", "paren((yield))");
    expect_expr("f(yield)", "f((yield))");
    expect_expr("t[yield]", "t[(yield)]");
    expect_expr("{yield}", "{(yield)}");
    expect_expr("{yield, 1}", "{(yield), 1}");
    expect_expr("yield, 1", "(yield), 1");
    expect_tree("yield;", "expression statement @1\n  yield @1\n");
    expect_tree("do yield end", "do @1\n  block @1-1\n    expression statement @1\n      yield @1\n");
    expect_tree("if a then yield else yield end",
                "if @1\n"
                "  cond: name a @1\n"
                "  then: block @1-1\n"
                "    expression statement @1\n"
                "      yield @1\n"
                "  else: block @1-1\n"
                "    expression statement @1\n"
                "      yield @1\n");
    expect_tree("if a then yield elseif b then end",
                "if @1\n"
                "  cond: name a @1\n"
                "  then: block @1-1\n"
                "    expression statement @1\n"
                "      yield @1\n"
                "  cond: name b @1\n"
                "  then: block @1-1\n");
    expect_tree("repeat yield until x",
                "repeat @1\n"
                "  block @1-1\n"
                "    expression statement @1\n"
                "      yield @1\n"
                "  until: name x @1\n");
}

Test(coroutines, bare_yield_before_a_later_line)
{
    expect_tree("local x = yield\nf()",
                "local x @1\n"
                "  yield @1\n"
                "expression statement @2\n"
                "  call @2\n"
                "    name f @2\n");
    /* Lua's newline rule would read `yield (f)()` otherwise. */
    expect_tree("yield\n(f)()",
                "expression statement @1\n"
                "  yield @1\n"
                "expression statement @2\n"
                "  call @2\n"
                "    paren @2\n"
                "      name f @2\n");
    /* A binary operator cannot start a statement: it continues. */
    expect_expr("yield\n+ 1", "((yield) + 1)");
    expect_expr("yield -- comment\n", "(yield)");
}

Test(coroutines, await_is_a_unary_operator)
{
    expect_expr("await a + b", "((await a) + b)");
    expect_expr("await a ^ b", "(await (a ^ b))");
    expect_expr("await a .. b", "((await a) .. b)");
    expect_expr("-await a", "(-(await a))");
    expect_expr("await -a", "(await (-a))");
    expect_expr("not await a == b", "((not (await a)) == b)");
    expect_expr("await f(x).y", "(await f(x).y)");
    expect_expr("await o:m()", "(await o:m())");
    expect_expr("await await x", "(await (await x))");
    expect_expr("#await x", "(#(await x))");
    expect_expr("yield await x + 1", "(yield ((await x) + 1))");
    expect_tree("await sleep(1)",
                "expression statement @1\n"
                "  await @1\n"
                "    call @1\n"
                "      name sleep @1\n"
                "      integer 1 @1\n");
}

Test(coroutines, async_functions)
{
    expect_tree("async function f(x) end",
                "function statement @1\n"
                "  name f @1\n"
                "  function f(x) async @1-1\n"
                "    block @1-1\n");
    expect_tree("async function a.b:m() end",
                "function statement @1\n"
                "  index @1\n"
                "    index @1\n"
                "      name a @1\n"
                "      string \"b\" @1\n"
                "    string \"m\" @1\n"
                "  function a.b:m() method async @1-1\n"
                "    block @1-1\n");
    expect_tree("local async function g() end",
                "local function g @1\n"
                "  function g() async @1-1\n"
                "    block @1-1\n");
    expect_expr("async function() end", "async function");
    expect_expr("async function(...) return ... end, 1", "async function, 1");
}

Test(coroutines, words_that_stay_names)
{
    expect_expr("coroutine.yield(x)", "coroutine.yield(x)");
    expect_expr("obj:await()", "obj:await()");
    expect_expr("obj:yield(1)", "obj:yield(1)");
    expect_expr("a.await.yield", "a.await.yield");
    expect_expr("async", "async");
    expect_expr("async(x)", "async(x)");
    expect_expr("async + 1", "(async + 1)");
    expect_expr("from", "from");
    expect_expr("from.x", "from.x");
    expect_expr("t.async", "t.async");
    expect_expr("yield (from)", "(yield paren(from))");
    expect_tree("local async = 1 async = 2 local from = 3",
                "local async @1\n"
                "  integer 1 @1\n"
                "assign @1\n"
                "  target: name async @1\n"
                "  value: integer 2 @1\n"
                "local from @1\n"
                "  integer 3 @1\n");
    expect_ok("function async(x) end");
    expect_ok("local function from() end");
    expect_ok("t.async = function() end");
}

/* ---- tree details ------------------------------------------------------------ */

Test(tree, root_is_a_vararg_main_function)
{
    AstParse p;
    cr_assert_eq(parse(&p, "x = 1\n\nreturn x\n"), AST_PARSE_OK);
    const AstNode *root = p.root;
    cr_expect_eq(root->kind, AST_FUNCTION);
    cr_expect(root->u.function.is_vararg);
    cr_expect_eq(root->u.function.params.count, 0);
    cr_expect_null(root->u.function.name);
    cr_expect_eq(root->line, 0);
    const AstNode *body = root->u.function.body;
    cr_expect_eq(body->kind, AST_BLOCK);
    cr_expect_eq(body->u.block.stats.count, 2);
    cr_expect_eq(body->u.block.end_line, 4);
    coro_ast_parse_free(&p);
}

Test(tree, lines_and_end_lines)
{
    AstParse p;
    cr_assert_eq(parse(&p, "local f = function(a)\n"
                           "  if a then\n"
                           "    return 1\n"
                           "  end\n"
                           "end\n"), AST_PARSE_OK);
    const AstNode *local = main_block(&p)->u.block.stats.items[0];
    const AstNode *fn = local->u.local.values.items[0];
    cr_expect_eq(fn->kind, AST_FUNCTION);
    cr_expect_eq(fn->line, 1);
    cr_expect_eq(fn->u.function.end_line, 5);
    cr_expect_eq(fn->u.function.body->u.block.end_line, 5);
    const AstNode *if_ = fn->u.function.body->u.block.stats.items[0];
    cr_expect_eq(if_->line, 2);
    const AstNode *then = if_->u.if_.blocks.items[0];
    cr_expect_eq(then->line, 3);
    cr_expect_eq(then->u.block.end_line, 4);
    coro_ast_parse_free(&p);
}

Test(tree, node_line_is_its_first_token_or_operator)
{
    AstParse p;
    cr_assert_eq(parse(&p, "x =\n a\n +\n b\n .c"), AST_PARSE_OK);
    const AstNode *assign = main_block(&p)->u.block.stats.items[0];
    const AstNode *sum = assign->u.assign.values.items[0];
    cr_expect_eq(sum->kind, AST_BINARY);
    cr_expect_eq(sum->line, 3);     /* a binary node: its operator's line */
    cr_expect_eq(sum->u.binary.left->line, 2);
    cr_expect_eq(sum->u.binary.right->line, 4);
    cr_expect_eq(sum->u.binary.right->u.index.key->line, 5);
    coro_ast_parse_free(&p);
}

Test(tree, function_details)
{
    AstParse p;
    cr_assert_eq(parse(&p, "function t.a:m(x, y) end\n"
                           "local function g(...) end\n"
                           "async function h() end\n"), AST_PARSE_OK);
    const AstList *stats = &main_block(&p)->u.block.stats;
    const AstNode *m = stats->items[0]->u.function_stat.fn;
    cr_expect_str_eq(m->u.function.name, "t.a:m");
    cr_expect(m->u.function.is_method);
    cr_expect_not(m->u.function.is_vararg);
    cr_expect_eq(m->u.function.params.count, 2);
    cr_expect_str_eq(m->u.function.params.items[1]->u.name.id.data, "y");
    const AstNode *target = stats->items[0]->u.function_stat.target;
    cr_expect_eq(target->kind, AST_INDEX);
    cr_expect_str_eq(target->u.index.key->u.string.data, "m");
    const AstNode *g = stats->items[1]->u.local_function.fn;
    cr_expect_str_eq(g->u.function.name, "g");
    cr_expect(g->u.function.is_vararg);
    cr_expect_not(g->u.function.is_async);
    const AstNode *h = stats->items[2]->u.function_stat.fn;
    cr_expect(h->u.function.is_async);
    cr_expect_str_eq(h->u.function.name, "h");
    coro_ast_parse_free(&p);
}

Test(tree, attributes_and_string_values)
{
    AstParse p;
    static const char src[] = "local a <const>, b <close>, c = '\\0x\\z  y'";
    cr_assert_eq(parse(&p, src), AST_PARSE_OK);
    const AstNode *local = main_block(&p)->u.block.stats.items[0];
    const AstList *names = &local->u.local.names;
    cr_expect_eq(names->items[0]->u.name.attrib, AST_ATTRIB_CONST);
    cr_expect_eq(names->items[1]->u.name.attrib, AST_ATTRIB_CLOSE);
    cr_expect_eq(names->items[2]->u.name.attrib, AST_ATTRIB_NONE);
    const AstNode *s = local->u.local.values.items[0];
    cr_expect_eq(s->u.string.len, 3);
    cr_expect(memcmp(s->u.string.data, "\0xy", 4) == 0);
    coro_ast_parse_free(&p);
}

Test(tree, names_of_kinds_and_operators)
{
    cr_expect_str_eq(coro_ast_kind_name(AST_METHOD_CALL), "method call");
    cr_expect_str_eq(coro_ast_kind_name(AST_LABEL), "label");
    cr_expect_str_eq(coro_ast_binary_op_name(AST_OP_IDIV), "//");
    cr_expect_str_eq(coro_ast_binary_op_name(AST_OP_NE), "~=");
    cr_expect_str_eq(coro_ast_unary_op_name(AST_OP_BNOT), "~");
    cr_expect_str_eq(coro_ast_unary_op_name(AST_OP_NOT), "not");
    for (int k = 0; k < AST_KIND_COUNT; k++)
        cr_expect_neq(coro_ast_kind_name((AstKind)k)[0], '?');
}

Test(tree, printer_shows_escapes_and_floats)
{
    expect_tree("x = '\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\0\\200', 0.1, 1e300, 2^53, 1.0",
                "assign @1\n"
                "  target: name x @1\n"
                "  value: string \"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\000\\200\" @1\n"
                "  value: float 0.1 @1\n"
                "  value: float 1e+300 @1\n"
                "  value: binary ^ @1\n"
                "    integer 2 @1\n"
                "    integer 53 @1\n"
                "  value: float 1.0 @1\n");
}

/* ---- syntax errors ------------------------------------------------------------ */

Test(errors, expected_tokens)
{
    expect_error("x = 1 x", "t:1: syntax error near <eof>");
    expect_error("local x <foo> = 1", "t:1: unknown attribute 'foo'");
    expect_error("for i x", "t:1: '=' or 'in' expected near 'x'");
    expect_error("for i, j = 1", "t:1: 'in' expected near '='");
    expect_error("for i = 1 x", "t:1: ',' expected near 'x'");
    expect_error("for i = 1, 2 x", "t:1: 'do' expected near 'x'");
    expect_error("if x y", "t:1: 'then' expected near 'y'");
    expect_error("while x y", "t:1: 'do' expected near 'y'");
    expect_error("x = t[1", "t:1: ']' expected near <eof>");
    expect_error("x = {[1] 2}", "t:1: '=' expected near '2'");
    expect_error("a, b", "t:1: '=' expected near <eof>");
    expect_error("local x <const", "t:1: '>' expected near <eof>");
    expect_error("::a", "t:1: '::' expected near <eof>");
    expect_error("function f x", "t:1: '(' expected near 'x'");
    expect_error("x = o:m", "t:1: function arguments expected near <eof>");
}

Test(errors, name_expected)
{
    expect_error("local 1", "t:1: <name> expected near '1'");
    expect_error("for 1", "t:1: <name> expected near '1'");
    expect_error("goto 1", "t:1: <name> expected near '1'");
    expect_error("x = a.1", "t:1: unexpected symbol near '.1'");
    expect_error("x = a. 1", "t:1: <name> expected near '1'");
    expect_error("x = a:(", "t:1: <name> expected near '('");
    expect_error("function (", "t:1: <name> expected near '('");
    expect_error("function f(1)", "t:1: <name> or '...' expected near '1'");
    expect_error("function f(a,)", "t:1: <name> or '...' expected near ')'");
    expect_error("function f(..., a)", "t:1: ')' expected near ','");
    expect_error("function f(a b)", "t:1: ')' expected near 'b'");
}

Test(errors, closing_tokens_name_their_opener_on_another_line)
{
    expect_error("function f()\n  return 1\n", "t:3: 'end' expected (to close 'function' at line 1) near <eof>");
    expect_error("function f() return 1", "t:1: 'end' expected near <eof>");
    expect_error("local function f\n(a)\n", "t:3: 'end' expected (to close 'function' at line 2) near <eof>");
    expect_error("x = function\n(a)\n", "t:3: 'end' expected (to close 'function' at line 2) near <eof>");
    expect_error("while x do\n", "t:2: 'end' expected (to close 'while' at line 1) near <eof>");
    expect_error("for i = 1, 2 do\n", "t:2: 'end' expected (to close 'for' at line 1) near <eof>");
    expect_error("do\n", "t:2: 'end' expected (to close 'do' at line 1) near <eof>");
    expect_error("if x then\nelseif y then\nelse\n", "t:4: 'end' expected (to close 'if' at line 1) near <eof>");
    expect_error("if x then\nelse\nelse", "t:3: 'end' expected (to close 'if' at line 1) near 'else'");
    expect_error("repeat\nend", "t:2: 'until' expected (to close 'repeat' at line 1) near 'end'");
    expect_error("x = (\n1\n", "t:3: ')' expected (to close '(' at line 1) near <eof>");
    expect_error("f\n(\n1\n", "t:4: ')' expected (to close '(' at line 1) near <eof>");
    expect_error("x = a.b\n:c(1\n", "t:3: ')' expected (to close '(' at line 1) near <eof>");
    expect_error("x = {\n1\n", "t:3: '}' expected (to close '{' at line 1) near <eof>");
    expect_error("x = {[1] = 1 2}", "t:1: '}' expected near '2'");
    expect_error("end", "t:1: <eof> expected near 'end'");
    expect_error("return 1 x", "t:1: <eof> expected near 'x'");
    expect_error("do return 1 x end", "t:1: 'end' expected near 'x'");
    expect_error("repeat return end", "t:1: 'until' expected near 'end'");
}

Test(errors, unexpected_symbol_and_syntax_error)
{
    expect_error("x = )", "t:1: unexpected symbol near ')'");
    expect_error("x = 1 +", "t:1: unexpected symbol near <eof>");
    expect_error("-x", "t:1: unexpected symbol near '-'");
    expect_error("1", "t:1: unexpected symbol near '1'");
    expect_error("f() + 1", "t:1: unexpected symbol near '+'");
    expect_error("f(,)", "t:1: unexpected symbol near ','");
    expect_error("a, 1 = 2", "t:1: unexpected symbol near '1'");
    expect_error("x + 1", "t:1: syntax error near '+'");
    expect_error("x", "t:1: syntax error near <eof>");
    expect_error("(f)", "t:1: syntax error near <eof>");
    expect_error("a.b c", "t:1: syntax error near 'c'");
    expect_error("f() = 1", "t:1: syntax error near '='");
    expect_error("(a) = 1", "t:1: syntax error near '='");
    expect_error("f(), a = 1", "t:1: syntax error near ','");
    expect_error("a, f() = 1", "t:1: syntax error near '='");
    expect_error("a, f(), c = 1", "t:1: syntax error near ','");
    expect_error("a, f() x", "t:1: syntax error near 'x'");
    expect_error("x = \"s\" 1", "t:1: unexpected symbol near '1'");
    expect_error("x = 1 \"a\\tb\"", "t:1: unexpected symbol near '\"a\tb\"'");
    expect_error("x = 1 [==[\nab]==]", "t:2: unexpected symbol near '[==[ab]==]'");
}

Test(errors, checks_lua_makes_while_parsing)
{
    expect_error("local a <close>, b <close> = 1\nz", "t:1: multiple to-be-closed variables in local list");
    expect_error("local a <close>, b <foo> = 1", "t:1: unknown attribute 'foo'");
    expect_error("function f() return ... end", "t:1: cannot use '...' outside a vararg function near '...'");
    expect_error("function f(...) return function() return ... end end",
                 "t:1: cannot use '...' outside a vararg function near '...'");
    expect_ok("return ...");
    expect_ok("function f(...) local t = {...} end");
}

Test(errors, jumps)
{
    expect_error("break", "t:1: break outside loop at line 1");
    expect_error("while 1 do end\n\nbreak\n\nx=1", "t:5: break outside loop at line 3");
    expect_error("while true do\n  local f = function() break end\nend\n",
                 "t:3: break outside loop at line 2");
    expect_error("goto x", "t:1: no visible label 'x' for <goto> at line 1");
    expect_error("goto\nfoo\n\n", "t:4: no visible label 'foo' for <goto> at line 2");
    expect_error("local function f()\n  goto x\nend\ny = 1", "t:4: no visible label 'x' for <goto> at line 2");
    expect_error("goto a; local x; ::a:: print(x)", "t:1: <goto a> at line 1 jumps into the scope of local 'x'");
    expect_error("goto a local x\n::a::\n;;\nprint(x)", "t:4: <goto a> at line 1 jumps into the scope of local 'x'");
    expect_error("repeat goto a; local x ::a:: until x", "t:1: <goto a> at line 1 jumps into the scope of local 'x'");
    expect_error("for i=1,2 do goto l end local x ::l:: print(x)", "t:1: <goto l> at line 1 jumps into the scope of local 'x'");
    expect_error("::a:: ::a::", "t:1: label 'a' already defined on line 1");
    expect_error("::a:: do ::a:: end", "t:1: label 'a' already defined on line 1");
    expect_error("::a:: ; ::b:: ;\n ::a::\nx=1", "t:3: label 'a' already defined on line 2");
    expect_ok("do goto a; local x; ::a:: ; ; end");
    expect_ok("goto a; local x; ::a:: ::b::");
    expect_ok("do ::a:: end ::a::");
    expect_ok("local function f() ::a:: end ::a::");
    expect_ok("::top:: do goto top end");
    expect_ok("while true do break end repeat break until true for i = 1, 2 do break end");
}

Test(errors, coroutine_syntax)
{
    expect_error("local yield = 1", "t:1: <name> expected near 'yield'");
    expect_error("local await", "t:1: <name> expected near 'await'");
    expect_error("t = { yield = 1 }", "t:1: unexpected symbol near '='");
    expect_error("local x = yield from\n", "t:2: unexpected symbol near <eof>");
    expect_error("await x + 1", "t:1: unexpected symbol near '+'");
    expect_error("local v = await\n", "t:2: unexpected symbol near <eof>");
    expect_error("async local x", "t:1: syntax error near 'local'");
    expect_error("f = async function g() end", "t:1: '(' expected near 'g'");
    expect_error("async function() end", "t:1: <name> expected near '('");
    expect_error("local async function (x) end", "t:1: <name> expected near '('");
    expect_error("yield\nfrom x", "t:2: syntax error near 'x'");
}

Test(errors, error_at_eof)
{
    static const struct {
        const char *src;
        bool at_eof;
    } cases[] = {
        { "x = ", true }, { "f(", true }, { "if x then", true },
        { "function f()", true }, { "x = {", true }, { "x = (1", true },
        { "x = )", false }, { "x", true }, { "break", false },
        { "goto x", false }, { "x + 1", false }, { "end", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        AstParse p;
        parse(&p, cases[i].src);
        cr_expect_eq(p.error_at_eof, cases[i].at_eof, "%s: %s", cases[i].src, p.errmsg);
        coro_ast_parse_free(&p);
    }
}

/* ---- nesting and size -------------------------------------------------------- */

static char *repeat_text(const char *head, const char *unit, int n,
                         const char *middle, const char *close_unit,
                         const char *tail)
{
    size_t len = strlen(head) + strlen(middle) + strlen(tail) +
                 (size_t)n * (strlen(unit) + strlen(close_unit)) + 1;
    char *s = malloc(len), *p = s;
    p += sprintf(p, "%s", head);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", unit);
    p += sprintf(p, "%s", middle);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", close_unit);
    sprintf(p, "%s", tail);
    return s;
}

static void expect_depth_limit(const char *head, const char *unit,
                               const char *middle, const char *close_unit)
{
    char *ok = repeat_text(head, unit, CORO_MAX_SYNTAX_DEPTH, middle, close_unit, "");
    expect_ok(ok);
    free(ok);
    char *deep = repeat_text(head, unit, CORO_MAX_SYNTAX_DEPTH + 1, middle, close_unit, "");
    expect_error(deep, "t:1: chunk has too many syntax levels");
    free(deep);
    char *deeper = repeat_text(head, unit, 100000, middle, close_unit, "");
    expect_error(deeper, "t:1: chunk has too many syntax levels");
    free(deeper);
}

Test(nesting, each_kind_of_right_nesting_is_limited)
{
    expect_depth_limit("x = ", "(", "1", ")");
    expect_depth_limit("x = ", "{", "", "}");
    expect_depth_limit("x = ", "f(", "", ")");
    expect_depth_limit("x = ", "t[", "1", "]");
    expect_depth_limit("x = ", "- ", "1", "");
    expect_depth_limit("x = ", "not ", "1", "");
    expect_depth_limit("x = ", "a .. ", "a", "");
    expect_depth_limit("x = ", "2 ^ ", "2", "");
    expect_depth_limit("x = ", "yield ", "1", "");
    expect_depth_limit("x = ", "await ", "1", "");
    expect_depth_limit("", "do ", "", " end");
    expect_depth_limit("", "while x do ", "", " end");
    expect_depth_limit("", "if x then ", "", " end");
    expect_depth_limit("", "for i = 1, 2 do ", "", " end");
    expect_depth_limit("", "repeat ", "", " until x");
    expect_depth_limit("x = ", "function() return ", "1", " end");
}

Test(nesting, mixed_nesting_counts_every_level)
{
    char *s = repeat_text("x = ", "{ f(function() return (-a .. ", 50, "1", ") end) }", "");
    expect_error(s, "t:1: chunk has too many syntax levels");
    free(s);
    s = repeat_text("x = ", "{ f(function() return (-a .. ", 33, "1", ") end) }", "");
    expect_ok(s);
    free(s);
}

Test(size, long_left_associative_chains)
{
    char *sum = repeat_text("x = 1", " + 1", 100000, "", "", "");
    AstParse p;
    cr_assert_eq(parse(&p, sum), AST_PARSE_OK, "%s", p.errmsg);
    /* The printer walks the 100,000-deep left spine without recursing. */
    FILE *devnull = fopen("/dev/null", "w");
    coro_ast_print(devnull, p.root);
    fclose(devnull);
    coro_ast_parse_free(&p);
    free(sum);

    const char *chains[] = { " or x", " and x", " < x", " | x", " ~ x", " & x",
                             " << x", " - x", " * x", ".x", "[1]", "()", ":m()",
                             "'s'", "{}" };
    for (size_t i = 0; i < sizeof chains / sizeof *chains; i++) {
        char *s = repeat_text("x = a", chains[i], 100000, "", "", "");
        expect_ok(s);
        free(s);
    }
}

Test(size, long_lists)
{
    const char *lists[][3] = {
        { "x = f(1", ", 1", ")" }, { "x = {1", ", 1", "}" }, { "local a", ", b", "" },
        { "a", ", b", " = 1" }, { "return 1", ", 1", "" },
        { "if x then", " elseif x then", " end" }, { "function f(a", ", b", ") end" },
        { "function a", ".b", "() end" }, { "for a", ", b", " in x do end" },
    };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        char *s = repeat_text(lists[i][0], lists[i][1], 100000, "", "", lists[i][2]);
        expect_ok(s);
        free(s);
    }
}

Test(size, hundred_thousand_statements)
{
    char *s = repeat_text("", "local x = f(x, 'y')\n", 100000, "", "", "");
    AstParse p;
    cr_assert_eq(parse(&p, s), AST_PARSE_OK, "%s", p.errmsg);
    cr_expect_eq(main_block(&p)->u.block.stats.count, 100000);
    cr_expect_eq(main_block(&p)->u.block.end_line, 100001);
    coro_ast_parse_free(&p);
    free(s);
}

/* ---- memory ---------------------------------------------------------------------- */

typedef struct Budget {
    long allocations_left;      /* fail once this reaches 0 */
    long live_blocks;
    size_t live_bytes;
} Budget;

static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    Budget *b = ud;
    if (nsize == 0) {
        if (ptr) {
            b->live_blocks--;
            b->live_bytes -= osize;
        }
        free(ptr);
        return NULL;
    }
    if (b->allocations_left-- <= 0)
        return NULL;
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    if (!ptr)
        b->live_blocks++;
    b->live_bytes += nsize - (ptr ? osize : 0);
    return p;
}

Test(memory, every_failed_allocation_is_reported_and_nothing_leaks)
{
    static const char src[] =
        "local t = { a = 1, [2] = 'two', 3, f(x) }\n"
        "function t.m:n(a, ...) return a .. [[long]] .. \"\\u{20AC}\" end\n"
        "for i = 1, 10 do goto skip; ::skip:: end\n"
        "async function g() yield from h() await x local y = yield 1 end\n"
        "if a then elseif b then else end\n";
    int failures = 0;
    for (long n = 0;; n++) {
        Budget b = { n, 0, 0 };
        AstParse p;
        memset(&p, 0, sizeof p);
        p.alloc = budget_alloc;
        p.alloc_ud = &b;
        p.chunkid = "t";
        p.source = src;
        p.length = sizeof src - 1;
        AstParseStatus st = coro_ast_parse(&p);
        if (st == AST_PARSE_OK) {
            cr_expect_not_null(p.root);
            coro_ast_parse_free(&p);
            cr_expect_eq(b.live_blocks, 0);
            break;
        }
        failures++;
        cr_expect_eq(st, AST_PARSE_NO_MEMORY, "budget %ld: %s", n, p.errmsg);
        cr_expect_str_eq(p.errmsg, "not enough memory");
        cr_expect_null(p.root);
        coro_ast_parse_free(&p);
        cr_expect_eq(b.live_blocks, 0, "budget %ld leaks %ld blocks", n, b.live_blocks);
        cr_expect_eq(b.live_bytes, 0, "budget %ld leaks %zu bytes", n, b.live_bytes);
        cr_assert_lt(n, 100000, "never succeeded");
    }
    cr_expect_gt(failures, 3);
}

Test(memory, failures_while_the_parser_stack_grows)
{
    /* Deep enough that the parser's stack must grow several times. */
    char *src = repeat_text("x = ", "{ f(-a .. ", 60, "1", ") }", "");
    for (long n = 0;; n++) {
        Budget b = { n, 0, 0 };
        AstParse p;
        memset(&p, 0, sizeof p);
        p.alloc = budget_alloc;
        p.alloc_ud = &b;
        p.chunkid = "t";
        p.source = src;
        p.length = strlen(src);
        AstParseStatus st = coro_ast_parse(&p);
        coro_ast_parse_free(&p);
        cr_expect_eq(b.live_blocks, 0, "budget %ld leaks", n);
        if (st == AST_PARSE_OK)
            break;
        cr_expect_eq(st, AST_PARSE_NO_MEMORY, "budget %ld: %s", n, p.errmsg);
        cr_assert_lt(n, 100000, "never succeeded");
    }
    free(src);
}

Test(memory, syntax_errors_free_everything_too)
{
    const char *sources[] = { "x = = 1", "x = 'unfinished", "goto nowhere",
                              "local t = {{{{{", "x = \"\\q\"" };
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        Budget b = { 1000000, 0, 0 };
        AstParse p;
        memset(&p, 0, sizeof p);
        p.alloc = budget_alloc;
        p.alloc_ud = &b;
        p.chunkid = "t";
        p.source = sources[i];
        p.length = strlen(sources[i]);
        cr_expect_eq(coro_ast_parse(&p), AST_PARSE_SYNTAX_ERROR);
        coro_ast_parse_free(&p);
        cr_expect_eq(b.live_blocks, 0, "%s", sources[i]);
    }
}

Test(memory, free_is_safe_twice_and_after_any_status)
{
    AstParse p;
    parse(&p, "x = 1");
    coro_ast_parse_free(&p);
    coro_ast_parse_free(&p);
    parse(&p, "x = ");
    coro_ast_parse_free(&p);
}
