/*
 * repl_print.c: how the REPL shows the values of an expression.
 *
 * Tables print as a literal a user could almost type back:
 * {1, 2, 3, name = "x", nested = {...}}.  The sequence part comes first,
 * then the other keys sorted (numbers, strings, booleans, the rest), so
 * the same table always prints the same way (past MAX_SORTED_KEYS keys,
 * the ones sorted are the first the table yields, not the smallest: the
 * output is elided anyway).  Everything is bounded so
 * that a big or deep structure prints as a short summary: MAX_DEPTH
 * levels, MAX_ITEMS entries per table, about MAX_CHARS characters per
 * value; a table that contains itself shows <cycle> where it recurs.
 *
 * Tables are read raw (no __index, __pairs): printing must not run the
 * user's code, except __tostring, which is how a value asks to be shown.
 * The text is built in a C buffer owned by the caller of the protected
 * call, so an error in a __tostring frees it all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

#define MAX_DEPTH 4
#define MAX_ITEMS 30
#define MAX_CHARS 2000
#define MAX_SORTED_KEYS 500
#define MAX_QUOTED 200

typedef struct Text {
    char *data;
    size_t len, cap;
} Text;

typedef struct Printer {
    coro_VM *vm;
    Text *out;
    int path;           /* stack index of the set of tables being printed */
    size_t limit;       /* length past which entries are elided */
} Printer;

static void add(Printer *p, const char *s, size_t n)
{
    Text *t = p->out;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            coro_pushstring(p->vm, "not enough memory");
            coro_error(p->vm);
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
}

static void adds(Printer *p, const char *s)
{
    add(p, s, strlen(s));
}

/* Lua's %q, in short: escapes for what would not read back or not show. */
static void add_quoted(Printer *p, const char *s, size_t len)
{
    bool cut = len > MAX_QUOTED;
    if (cut)
        len = MAX_QUOTED - 3;
    adds(p, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        switch (c) {
        case '"': adds(p, "\\\""); break;
        case '\\': adds(p, "\\\\"); break;
        case '\n': adds(p, "\\n"); break;
        case '\r': adds(p, "\\r"); break;
        case '\t': adds(p, "\\t"); break;
        default:
            if (c < 32 || c == 127) {
                bool digit_next = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9';
                snprintf(esc, sizeof esc, digit_next ? "\\%03d" : "\\%d", c);
                adds(p, esc);
            } else {
                add(p, (const char *)&s[i], 1);
            }
        }
    }
    adds(p, cut ? "...\"" : "\"");
}

static bool is_identifier(const char *s, size_t len)
{
    static const char *const reserved[] = {
        "and", "await", "break", "do", "else", "elseif", "end", "false", "for",
        "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
        "return", "then", "true", "until", "while", "yield", NULL
    };
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    for (int i = 0; reserved[i]; i++)
        if (strlen(reserved[i]) == len && memcmp(reserved[i], s, len) == 0)
            return false;
    return true;
}

/* tostring(v), with __tostring and __name. */
static void add_tostring(Printer *p, int idx)
{
    size_t len;
    const char *s = coro_tolstring_meta(p->vm, idx, &len);
    add(p, s, len);
    coro_pop(p->vm, 1);
}

static void add_value(Printer *p, int idx, int depth, bool quote);

/* ---- keys --------------------------------------------------------------- */

typedef struct Key {
    int rank;           /* numbers, strings, booleans, anything else */
    double num;
    const char *str;
    size_t len;
    int slot;           /* where the key sits on the stack */
} Key;

static int key_rank(int type)
{
    switch (type) {
    case CORO_TNUMBER: return 0;
    case CORO_TSTRING: return 1;
    case CORO_TBOOLEAN: return 2;
    default: return 3;
    }
}

static int compare_keys(const void *a, const void *b)
{
    const Key *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->rank == 0 || x->rank == 2) {
        if (x->num != y->num)
            return x->num < y->num ? -1 : 1;
    } else if (x->rank == 1) {
        size_t n = x->len < y->len ? x->len : y->len;
        int c = memcmp(x->str, y->str, n);
        if (c != 0)
            return c;
        if (x->len != y->len)
            return x->len < y->len ? -1 : 1;
    }
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static void add_key(Printer *p, int slot)
{
    coro_VM *vm = p->vm;
    int type = coro_type(vm, slot);
    if (type == CORO_TSTRING) {
        size_t len;
        const char *s = coro_tolstring(vm, slot, &len);
        if (is_identifier(s, len)) {
            add(p, s, len);
            adds(p, " = ");
            return;
        }
    }
    adds(p, "[");
    if (type == CORO_TSTRING || type == CORO_TNUMBER || type == CORO_TBOOLEAN)
        add_value(p, slot, MAX_DEPTH, true);
    else
        add_tostring(p, slot);
    adds(p, "] = ");
}

/* Is the key at slot an integer in 1..seq (already shown as the sequence)? */
static bool in_sequence(coro_VM *vm, int slot, coro_Integer seq)
{
    if (!coro_isinteger(vm, slot))
        return false;
    coro_Integer i = coro_tointeger(vm, slot);
    return i >= 1 && i <= seq;
}

/* ---- tables --------------------------------------------------------------- */

static bool table_empty(coro_VM *vm, int idx)
{
    coro_pushnil(vm);
    if (coro_next(vm, idx)) {
        coro_pop(vm, 2);
        return false;
    }
    return true;
}

static bool on_path(Printer *p, int idx)
{
    coro_pushvalue(p->vm, idx);
    bool seen = coro_rawget(p->vm, p->path) != CORO_TNIL;
    coro_pop(p->vm, 1);
    return seen;
}

static void set_on_path(Printer *p, int idx, bool on)
{
    coro_pushvalue(p->vm, idx);
    if (on)
        coro_pushboolean(p->vm, 1);
    else
        coro_pushnil(p->vm);
    coro_rawset(p->vm, p->path);
}

/* Shows the keys other than 1..seq, sorted; returns whether all were. */
static bool add_other_keys(Printer *p, int t, coro_Integer seq, int *shown, int depth)
{
    coro_VM *vm = p->vm;
    /* Counting stops past what would be sorted: a huge table prints as
     * fast as a small one. */
    int total = 0;
    coro_pushnil(vm);
    while (coro_next(vm, t)) {
        coro_pop(vm, 1);
        if (!in_sequence(vm, -1, seq) && ++total > MAX_SORTED_KEYS) {
            coro_pop(vm, 1);
            break;
        }
    }
    if (total == 0)
        return true;
    int n = total < MAX_SORTED_KEYS ? total : MAX_SORTED_KEYS;
    coro_checkstack_msg(vm, n + 8, "table too big to print");
    Key *keys = coro_newuserdatauv(vm, sizeof(Key) * (size_t)n, 0);
    int base = coro_gettop(vm);
    int k = 0;
    coro_pushnil(vm);
    while (k < n && coro_next(vm, t)) {
        coro_pop(vm, 1);
        if (in_sequence(vm, -1, seq))
            continue;
        coro_pushvalue(vm, -1);          /* kept at base + 1 + k */
        coro_insert(vm, -2);
        Key *key = &keys[k];
        key->slot = base + 1 + k;
        int type = coro_type(vm, key->slot);
        key->rank = key_rank(type);
        key->num = 0;
        key->str = NULL;
        key->len = 0;
        if (type == CORO_TNUMBER)
            key->num = coro_tonumber(vm, key->slot);
        else if (type == CORO_TBOOLEAN)
            key->num = coro_toboolean(vm, key->slot);
        else if (type == CORO_TSTRING)
            key->str = coro_tolstring(vm, key->slot, &key->len);
        k++;
    }
    coro_settop(vm, base + k);
    qsort(keys, (size_t)k, sizeof(Key), compare_keys);
    bool all = k == total;
    for (int i = 0; i < k; i++) {
        if (*shown >= MAX_ITEMS || p->out->len > p->limit) {
            all = false;
            break;
        }
        if ((*shown)++ > 0)
            adds(p, ", ");
        add_key(p, keys[i].slot);
        coro_pushvalue(vm, keys[i].slot);
        coro_rawget(vm, t);
        add_value(p, -1, depth + 1, true);
        coro_pop(vm, 1);
    }
    coro_settop(vm, base - 1);
    return all;
}

static void add_table(Printer *p, int t, int depth)
{
    coro_VM *vm = p->vm;
    if (coro_getmetafield(vm, t, "__tostring") != CORO_TNIL) {
        coro_pop(vm, 1);
        add_tostring(p, t);
        return;
    }
    if (on_path(p, t)) {
        adds(p, "<cycle>");
        return;
    }
    if (table_empty(vm, t)) {
        adds(p, "{}");
        return;
    }
    if (depth >= MAX_DEPTH) {
        adds(p, "{...}");
        return;
    }
    coro_checkstack_msg(vm, 8, "table nested too deep to print");
    set_on_path(p, t, true);
    adds(p, "{");
    int shown = 0;
    bool all = true;
    coro_Integer seq = 0;
    for (;;) {
        if (coro_rawgeti(vm, t, seq + 1) == CORO_TNIL) {
            coro_pop(vm, 1);
            break;
        }
        if (shown >= MAX_ITEMS || p->out->len > p->limit) {
            coro_pop(vm, 1);
            all = false;
            break;
        }
        seq++;
        if (shown++ > 0)
            adds(p, ", ");
        add_value(p, -1, depth + 1, true);
        coro_pop(vm, 1);
    }
    if (all)
        all = add_other_keys(p, t, seq, &shown, depth);
    if (!all)
        adds(p, shown > 0 ? ", ...}" : "...}");
    else
        adds(p, "}");
    set_on_path(p, t, false);
}

static void add_value(Printer *p, int idx, int depth, bool quote)
{
    coro_VM *vm = p->vm;
    idx = coro_absindex(vm, idx);
    switch (coro_type(vm, idx)) {
    case CORO_TNIL:
        adds(p, "nil");
        break;
    case CORO_TBOOLEAN:
        adds(p, coro_toboolean(vm, idx) ? "true" : "false");
        break;
    case CORO_TNUMBER: {
        size_t len;
        coro_pushvalue(vm, idx);        /* tolstring converts in place */
        const char *s = coro_tolstring(vm, -1, &len);
        add(p, s, len);
        coro_pop(vm, 1);
        break;
    }
    case CORO_TSTRING: {
        size_t len;
        const char *s = coro_tolstring(vm, idx, &len);
        if (quote)
            add_quoted(p, s, len);
        else
            add(p, s, len);
        break;
    }
    case CORO_TTABLE:
        add_table(p, idx, depth);
        break;
    default:
        add_tostring(p, idx);
        break;
    }
}

/* Protected: the Text at 1, the values from 2 on. */
static int render(coro_VM *vm)
{
    Printer p;
    p.vm = vm;
    p.out = coro_touserdata(vm, 1);
    int top = coro_gettop(vm);
    coro_newtable(vm);
    p.path = coro_gettop(vm);
    for (int i = 2; i <= top; i++) {
        if (i > 2)
            adds(&p, "\t");
        p.limit = p.out->len + MAX_CHARS;
        add_value(&p, i, 0, false);
    }
    adds(&p, "\n");
    return 0;
}

int coro_repl_print_values(coro_VM *vm, int n)
{
    if (n <= 0)
        return CORO_OK;
    Text text = { NULL, 0, 0 };
    coro_checkstack(vm, 3);
    coro_pushcfunction(vm, render);
    coro_insert(vm, -n - 1);
    coro_pushlightuserdata(vm, &text);
    coro_insert(vm, -n - 1);
    int status = coro_pcall_traceback(vm, n + 1, 0);
    if (status == CORO_OK) {
        fwrite(text.data, 1, text.len, stdout);
        fflush(stdout);
    }
    free(text.data);
    return status;
}
