/*
 * lib_string_pattern.c: Lua's patterns, and the functions that use them
 * (string.find, match, gmatch, gsub).
 *
 * The matcher is a backtracking recogniser over the pattern text itself:
 * there is no compile step, so a pattern costs nothing to "build" and
 * errors in it are found only as far as matching gets (as in Lua, where
 * "(" against "" fails late with "unfinished capture").  Backtracking
 * recurses in C for every quantifier that must try alternatives and for
 * every capture boundary.  That recursion is bounded by a depth budget
 * (MATCH_MAX_DEPTH, Lua's figure), so a hostile pattern gets the error
 * "pattern too complex" instead of overflowing the C stack; plain
 * sequences of single characters loop instead of recursing, so ordinary
 * long patterns are unaffected.  The price of the design is Lua's: some
 * patterns backtrack exponentially, which the depth bound does not
 * prevent, only bounds in stack.  Each step of the matcher counts toward
 * the count hook, so a host's instruction budget stops such a match too.
 *
 * Positions inside the subject and the pattern are pointers into the two
 * strings, which stay on the caller's stack (or in upvalues, for gmatch)
 * while the matcher runs, so they cannot be collected under it.
 */
#define _GNU_SOURCE     /* memmem */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "coro.h"
#include "lib_string.h"
#include "stdlib_internal.h"

#define MATCH_MAX_CAPTURES 32
#define MATCH_MAX_DEPTH 200
/* Matching work counts toward the count hook: one count per
 * MATCH_UNITS_PER_COUNT units (a unit: a step of the matcher, or a byte
 * a scan looks at), charged a batch at a time. */
#define MATCH_UNITS_PER_COUNT 16
#define MATCH_UNITS_PER_CHARGE 1024

/* A capture's length, or one of these while it is special. */
#define CAP_OPEN (-1)
#define CAP_POSITION (-2)

typedef struct Capture {
    const char *start;
    ptrdiff_t len;
} Capture;

typedef struct Matcher {
    coro_VM *vm;
    const char *subject;
    const char *subject_end;
    const char *pattern_end;
    int depth_left;
    ptrdiff_t units;        /* work not yet charged to the count hook */
    int ncaptures;
    Capture captures[MATCH_MAX_CAPTURES];
} Matcher;

static void matcher_init(Matcher *m, coro_VM *vm, const char *s, size_t ls,
                         const char *p, size_t lp)
{
    m->vm = vm;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
    m->depth_left = MATCH_MAX_DEPTH;
    m->units = 0;
    m->ncaptures = 0;
}

/* Counts matching work (it may raise: the hook's error). */
static void work(Matcher *m, ptrdiff_t units)
{
    m->units += units;
    if (m->units >= MATCH_UNITS_PER_CHARGE) {
        ptrdiff_t counts = m->units / MATCH_UNITS_PER_COUNT;
        m->units %= MATCH_UNITS_PER_COUNT;
        coro_stdlib_count(m->vm, counts > INT_MAX ? INT_MAX : (int)counts);
    }
}

/* Every attempt at a new subject position starts with no captures. */
static void matcher_reset(Matcher *m)
{
    m->depth_left = MATCH_MAX_DEPTH;
    m->ncaptures = 0;
}

static const char *match(Matcher *m, const char *s, const char *p);

/* ---- single-character classes ----------------------------------------------------------- */

/* Returns the end of the class that starts at p: one character, an
 * escape "%x", or a set "[...]". */
static const char *class_end(Matcher *m, const char *p)
{
    char c = *p++;
    if (c == '%') {
        if (p >= m->pattern_end)
            coro_errorf(m->vm, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (p < m->pattern_end && *p == '^')
            p++;
        /* The first character of a set is taken literally even if it is
         * ']', so "[]]" is the set holding ']'. */
        do {
            if (p >= m->pattern_end)
                coro_errorf(m->vm, "malformed pattern (missing ']')");
            c = *p++;
            if (c == '%' && p < m->pattern_end)
                p++;
        } while (p >= m->pattern_end || *p != ']');
        return p + 1;
    }
    return p;
}

/* Does byte c belong to class %cl (a letter; upper case complements)? */
static bool class_matches(int c, int cl)
{
    bool in;
    switch (tolower(cl)) {
    case 'a': in = isalpha(c); break;
    case 'c': in = iscntrl(c); break;
    case 'd': in = isdigit(c); break;
    case 'g': in = isgraph(c); break;
    case 'l': in = islower(c); break;
    case 'p': in = ispunct(c); break;
    case 's': in = isspace(c); break;
    case 'u': in = isupper(c); break;
    case 'w': in = isalnum(c); break;
    case 'x': in = isxdigit(c); break;
    case 'z': in = c == 0; break;   /* deprecated, but Lua 5.4 still has it */
    default: return cl == c;   /* an escaped literal such as %. */
    }
    return isupper(cl) ? !in : in;
}

/* Does c belong to the set from '[' at p to its closing ']' at last? */
static bool set_matches(int c, const char *p, const char *last)
{
    bool want = true;
    if (p[1] == '^') {
        want = false;
        p++;
    }
    while (++p < last) {
        if (*p == '%') {
            p++;
            if (class_matches(c, (unsigned char)*p))
                return want;
        } else if (p[1] == '-' && p + 2 < last) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return want;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return want;
        }
    }
    return !want;
}

/* Does the subject byte at s match the class from p to ep? */
/* The extra work of testing one byte against the class from p to ep: a
 * long set is a scan of its own.  Charged by the callers, outside the
 * per-byte loops. */
static ptrdiff_t class_weight(const char *p, const char *ep)
{
    return *p == '[' ? (ep - p) / 4 : 0;
}

static bool single_matches(Matcher *m, const char *s, const char *p, const char *ep)
{
    if (s >= m->subject_end)
        return false;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return true;
    case '%': return class_matches(c, (unsigned char)p[1]);
    case '[': return set_matches(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

/* ---- the items that need more than one character ---------------------------------------- */

/* %bxy at p (pointing at x): a balanced run from x to the matching y. */
static const char *match_balance(Matcher *m, const char *s, const char *p)
{
    if (p + 1 >= m->pattern_end)
        coro_errorf(m->vm, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0])
        return NULL;
    char open = p[0], close = p[1];
    int depth = 1;
    const char *start = s;
    while (++s < m->subject_end) {
        if (*s == close) {
            if (--depth == 0) {
                work(m, s - start);
                return s + 1;
            }
        } else if (*s == open) {
            depth++;
        }
    }
    work(m, s - start);
    return NULL;
}

/* The class at p..ep followed by '*' or '+': take as many as possible,
 * then give them back one at a time until the rest matches. */
static const char *max_expand(Matcher *m, const char *s, const char *p, const char *ep)
{
    ptrdiff_t count = 0;
    ptrdiff_t weight = class_weight(p, ep);
    if (weight == 0) {
        while (single_matches(m, s + count, p, ep))
            count++;
        work(m, count);
    } else {
        /* Charged as it goes: the run itself may be the runaway. */
        while (single_matches(m, s + count, p, ep)) {
            count++;
            work(m, 1 + weight);
        }
    }
    for (; count >= 0; count--) {
        const char *end = match(m, s + count, ep + 1);
        if (end)
            return end;
    }
    return NULL;
}

/* Followed by '-': take as few as possible. */
static const char *min_expand(Matcher *m, const char *s, const char *p, const char *ep)
{
    ptrdiff_t weight = class_weight(p, ep);
    for (;;) {
        const char *end = match(m, s, ep + 1);
        if (end)
            return end;
        work(m, weight);
        if (!single_matches(m, s, p, ep))
            return NULL;
        s++;
    }
}

static const char *open_capture(Matcher *m, const char *s, const char *p, ptrdiff_t kind)
{
    if (m->ncaptures >= MATCH_MAX_CAPTURES)
        coro_errorf(m->vm, "too many captures");
    m->captures[m->ncaptures].start = s;
    m->captures[m->ncaptures].len = kind;
    m->ncaptures++;
    const char *end = match(m, s, p);
    if (!end)
        m->ncaptures--;
    return end;
}

static const char *close_capture(Matcher *m, const char *s, const char *p)
{
    int i = m->ncaptures - 1;
    while (i >= 0 && m->captures[i].len != CAP_OPEN)
        i--;
    if (i < 0)
        coro_errorf(m->vm, "invalid pattern capture");
    m->captures[i].len = s - m->captures[i].start;
    const char *end = match(m, s, p);
    if (!end)
        m->captures[i].len = CAP_OPEN;
    return end;
}

/* %1..%9: the text of an earlier, closed capture, again.  A position
 * capture has no text and never matches. */
static const char *match_backref(Matcher *m, const char *s, int digit)
{
    int i = digit - '1';
    if (i < 0 || i >= m->ncaptures || m->captures[i].len == CAP_OPEN)
        coro_errorf(m->vm, "invalid capture index %%%d", i + 1);
    ptrdiff_t len = m->captures[i].len;
    if (len > 0)
        work(m, len);
    if (len >= 0 && m->subject_end - s >= len && memcmp(m->captures[i].start, s, (size_t)len) == 0)
        return s + len;
    return NULL;
}

/* %f[set]: matches the empty string where the previous byte is not in the
 * set and the next one is (the subject's ends count as '\0'). */
static const char *match_frontier(Matcher *m, const char *s, const char *p, const char **rest)
{
    if (p >= m->pattern_end || *p != '[')
        coro_errorf(m->vm, "missing '[' after '%%f' in pattern");
    const char *ep = class_end(m, p);
    int prev = s == m->subject ? '\0' : (unsigned char)s[-1];
    int next = s < m->subject_end ? (unsigned char)*s : '\0';
    *rest = ep;
    if (!set_matches(prev, p, ep - 1) && set_matches(next, p, ep - 1))
        return s;
    return NULL;
}

/* ---- the matcher ------------------------------------------------------------------------ */

/* Matches the pattern from p against the subject from s; returns the end
 * of the match or NULL.  Items that cannot backtrack advance in the loop;
 * the rest recurse, within the depth budget. */
static const char *match(Matcher *m, const char *s, const char *p)
{
    if (m->depth_left-- == 0)
        coro_errorf(m->vm, "pattern too complex");
    /* A call that does anything steps through the loop below, which
     * counts; one that does not (at the pattern's end) succeeds. */
    const char *pend = m->pattern_end;
    while (s && p < pend) {
        work(m, 1);
        switch (*p) {
        case '(':
            if (p + 1 < pend && p[1] == ')')
                s = open_capture(m, s, p + 2, CAP_POSITION);
            else
                s = open_capture(m, s, p + 1, CAP_OPEN);
            goto done;
        case ')':
            s = close_capture(m, s, p + 1);
            goto done;
        case '$':
            if (p + 1 == pend) {
                if (s != m->subject_end)
                    s = NULL;
                goto done;
            }
            break;
        case '%':
            if (p + 1 >= pend)
                break;
            if (p[1] == 'b') {
                s = match_balance(m, s, p + 2);
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                s = match_frontier(m, s, p + 2, &p);
                continue;
            }
            if (isdigit((unsigned char)p[1])) {
                s = match_backref(m, s, (unsigned char)p[1]);
                p += 2;
                continue;
            }
            break;
        default:
            break;
        }
        const char *ep = class_end(m, p);
        char quantifier = ep < pend ? *ep : '\0';
        work(m, class_weight(p, ep));
        if (!single_matches(m, s, p, ep)) {
            /* Zero occurrences are fine for these three. */
            if (quantifier == '*' || quantifier == '?' || quantifier == '-')
                p = ep + 1;
            else
                s = NULL;
            continue;
        }
        switch (quantifier) {
        case '?': {
            const char *end = match(m, s + 1, ep + 1);
            if (end) {
                s = end;
                goto done;
            }
            p = ep + 1;
            break;
        }
        case '+':
            s = max_expand(m, s + 1, p, ep);
            goto done;
        case '*':
            s = max_expand(m, s, p, ep);
            goto done;
        case '-':
            s = min_expand(m, s, p, ep);
            goto done;
        default:
            s++;
            p = ep;
            break;
        }
    }
done:
    m->depth_left++;
    return s;
}

/* ---- captures as values ----------------------------------------------------------------- */

/* Pushes capture i; with no captures at all, "capture 0" is the whole
 * match s..e. */
static void push_capture(Matcher *m, int i, const char *s, const char *e)
{
    coro_VM *vm = m->vm;
    if (i >= m->ncaptures) {
        if (i != 0)
            coro_errorf(vm, "invalid capture index %%%d", i + 1);
        coro_pushlstring(vm, s, (size_t)(e - s));
        return;
    }
    ptrdiff_t len = m->captures[i].len;
    if (len == CAP_OPEN)
        coro_errorf(vm, "unfinished capture");
    if (len == CAP_POSITION)
        coro_pushinteger(vm, m->captures[i].start - m->subject + 1);
    else
        coro_pushlstring(vm, m->captures[i].start, (size_t)len);
}

/* Pushes every capture, or the whole match s..e if there are none and s
 * is not NULL; returns how many values. */
static int push_captures(Matcher *m, const char *s, const char *e)
{
    int n = (m->ncaptures == 0 && s) ? 1 : m->ncaptures;
    coro_checkstack_msg(m->vm, n, "too many captures");
    for (int i = 0; i < n; i++)
        push_capture(m, i, s, e);
    return n;
}

/* ---- find and match ------------------------------------------------------------------------ */

static bool has_specials(const char *p, size_t lp)
{
    static const char specials[] = "^$*+?.([%-";
    for (size_t i = 0; i < lp; i++)
        if (memchr(specials, p[i], sizeof specials - 1))
            return true;
    return false;
}

/* memmem (glibc's is linear in the worst case): comparing at every
 * occurrence of the first byte was quadratic for a needle that almost
 * matches everywhere, minutes for megabytes, out of the count hook's
 * reach. */
static const char *find_bytes(const char *s, size_t ls, const char *needle, size_t ln)
{
    if (ln == 0)
        return s;
    return memmem(s, ls, needle, ln);
}

static int find_or_match(coro_VM *vm, bool find)
{
    size_t ls, lp;
    const char *s = coro_checklstring(vm, 1, &ls);
    const char *p = coro_checklstring(vm, 2, &lp);
    size_t init = strlib_start_pos(coro_optinteger(vm, 3, 1), ls) - 1;
    if (init > ls) {
        coro_pushnil(vm);
        return 1;
    }
    if (find && (coro_toboolean(vm, 4) || !has_specials(p, lp))) {
        const char *hit = find_bytes(s + init, ls - init, p, lp);
        if (hit) {
            coro_pushinteger(vm, hit - s + 1);
            coro_pushinteger(vm, (coro_Integer)(hit - s + (ptrdiff_t)lp));
            return 2;
        }
        coro_pushnil(vm);
        return 1;
    }
    bool anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    Matcher m;
    matcher_init(&m, vm, s, ls, p, lp);
    const char *start = s + init;
    do {
        matcher_reset(&m);
        const char *end = match(&m, start, p);
        if (end) {
            if (!find)
                return push_captures(&m, start, end);
            coro_pushinteger(vm, start - s + 1);
            coro_pushinteger(vm, end - s);
            return push_captures(&m, NULL, NULL) + 2;
        }
    } while (start++ < m.subject_end && !anchored);
    coro_pushnil(vm);
    return 1;
}

int coro_strlib_find(coro_VM *vm)
{
    return find_or_match(vm, true);
}

int coro_strlib_match(coro_VM *vm)
{
    return find_or_match(vm, false);
}

/* ---- gmatch -------------------------------------------------------------------------------- */

/* The iterator's state, in a userdata upvalue beside the subject and the
 * pattern.  Offsets rather than pointers, so nothing dangles even in
 * principle between calls. */
typedef struct GmatchState {
    size_t next;            /* where the next attempt starts */
    ptrdiff_t last_end;     /* end of the previous match, or -1 */
} GmatchState;

static int gmatch_step(coro_VM *vm)
{
    size_t ls, lp;
    const char *s = coro_tolstring(vm, coro_upvalueindex(1), &ls);
    const char *p = coro_tolstring(vm, coro_upvalueindex(2), &lp);
    GmatchState *st = coro_touserdata(vm, coro_upvalueindex(3));
    Matcher m;
    matcher_init(&m, vm, s, ls, p, lp);
    for (size_t pos = st->next; pos <= ls; pos++) {
        matcher_reset(&m);
        const char *end = match(&m, s + pos, p);
        /* An empty match right where the previous match ended would
         * repeat it: skip it (Lua 5.4's rule). */
        if (end && end - s != st->last_end) {
            st->next = (size_t)(end - s);
            st->last_end = end - s;
            return push_captures(&m, s + pos, end);
        }
    }
    st->next = ls + 1;
    return 0;
}

int coro_strlib_gmatch(coro_VM *vm)
{
    size_t ls;
    coro_checklstring(vm, 1, &ls);
    coro_checklstring(vm, 2, NULL);
    size_t init = strlib_start_pos(coro_optinteger(vm, 3, 1), ls) - 1;
    if (init > ls)
        init = ls + 1;
    coro_settop(vm, 2);
    GmatchState *st = coro_newuserdata(vm, sizeof *st);
    st->next = init;
    st->last_end = -1;
    coro_pushcclosure(vm, gmatch_step, 3);
    return 1;
}

/* ---- gsub ---------------------------------------------------------------------------------- */

/* Appends the replacement string (argument 3) for the match s..e, with
 * %0-%9 and %% expanded. */
static void add_template(Matcher *m, coro_Buffer *b, const char *s, const char *e)
{
    coro_VM *vm = m->vm;
    size_t len;
    const char *r = coro_tolstring(vm, 3, &len);
    const char *end = r + len;
    while (r < end) {
        const char *pct = memchr(r, '%', (size_t)(end - r));
        if (!pct) {
            coro_addlstring(b, r, (size_t)(end - r));
            return;
        }
        coro_addlstring(b, r, (size_t)(pct - r));
        r = pct + 1;
        if (r >= end)
            coro_errorf(vm, "invalid use of '%%' in replacement string");
        char c = *r++;
        if (c == '%') {
            coro_addchar(b, '%');
        } else if (c == '0') {
            coro_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)c)) {
            push_capture(m, c - '1', s, e);
            coro_tolstring_meta(vm, -1, NULL);   /* position captures are numbers */
            coro_remove(vm, -2);
            coro_addvalue(b);
        } else {
            coro_errorf(vm, "invalid use of '%%' in replacement string");
        }
    }
}

/* Appends the replacement for the match s..e; returns whether it differs
 * from the match (false and nil keep the original text). */
static bool add_replacement(Matcher *m, coro_Buffer *b, const char *s, const char *e, int repl_type)
{
    coro_VM *vm = m->vm;
    if (repl_type == CORO_TFUNCTION) {
        coro_pushvalue(vm, 3);
        int n = push_captures(m, s, e);
        coro_call(vm, n, 1);
    } else if (repl_type == CORO_TTABLE) {
        push_capture(m, 0, s, e);
        coro_gettable(vm, 3);
    } else {
        add_template(m, b, s, e);
        return true;
    }
    if (!coro_toboolean(vm, -1)) {
        coro_pop(vm, 1);
        coro_addlstring(b, s, (size_t)(e - s));
        return false;
    }
    if (!coro_isstring(vm, -1))
        coro_errorf(vm, "invalid replacement value (a %s)", coro_typename(vm, coro_type(vm, -1)));
    coro_addvalue(b);
    return true;
}

int coro_strlib_gsub(coro_VM *vm)
{
    size_t ls, lp;
    const char *s = coro_checklstring(vm, 1, &ls);
    const char *p = coro_checklstring(vm, 2, &lp);
    int repl_type = coro_type(vm, 3);
    coro_Integer max_n = coro_optinteger(vm, 4, (coro_Integer)ls + 1);
    coro_argexpected(vm, repl_type == CORO_TNUMBER || repl_type == CORO_TSTRING ||
                     repl_type == CORO_TFUNCTION || repl_type == CORO_TTABLE,
                     3, "string/function/table");
    bool anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    Matcher m;
    matcher_init(&m, vm, s, ls, p, lp);
    coro_Buffer b;
    coro_buffinit(vm, &b);
    const char *src = s, *last_end = NULL;
    coro_Integer n = 0;
    bool changed = false;
    while (n < max_n) {
        matcher_reset(&m);
        const char *end = match(&m, src, p);
        if (end && end != last_end) {
            n++;
            changed |= add_replacement(&m, &b, src, end, repl_type);
            src = last_end = end;
        } else if (src < m.subject_end) {
            coro_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchored)
            break;
    }
    if (!changed) {
        coro_pop(vm, 1);
        coro_pushvalue(vm, 1);
    } else {
        coro_addlstring(&b, src, (size_t)(m.subject_end - src));
        coro_pushresult(&b);
    }
    coro_pushinteger(vm, n);
    return 2;
}
