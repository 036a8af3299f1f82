/*
 * lib_table.c: the table library (Lua 5.4's concat insert move pack remove
 * sort unpack).
 *
 * Every element access goes through coro_geti/coro_seti and every length
 * through coro_len_int, so proxies with __index, __newindex and __len work
 * as they do in Lua; a value that is not a table is accepted when its
 * metatable has the metamethods the function needs.
 *
 * table.sort is an introsort: quicksort with a median-of-three pivot, a
 * partition whose scans stop with "invalid order function for sorting"
 * when an inconsistent comparator would carry them past the range, and a
 * heapsort for any range that keeps partitioning badly, so no input makes
 * it quadratic.  Comparators run through coro_call (nested calls), so a
 * comparator cannot yield.
 */
#include <limits.h>

#include "coro.h"
#include "stdlib_internal.h"

/* What a function does with its table argument. */
#define NEED_READ  1
#define NEED_WRITE 2
#define NEED_LEN   4

/* 1 if the metatable on top of the stack has field name (raw). */
static int has_metamethod(coro_VM *vm, const char *name)
{
    coro_pushstring(vm, name);
    int present = coro_rawget(vm, -2) != CORO_TNIL;
    coro_pop(vm, 1);
    return present;
}

/* Accepts a table, or any value whose metatable has the metamethods the
 * operation uses (how Lua 5.4 lets proxies through). */
static void check_table(coro_VM *vm, int arg, int need)
{
    if (coro_type(vm, arg) == CORO_TTABLE)
        return;
    if (coro_getmetatable(vm, arg)) {
        int ok = (!(need & NEED_READ) || has_metamethod(vm, "__index")) &&
                 (!(need & NEED_WRITE) || has_metamethod(vm, "__newindex")) &&
                 (!(need & NEED_LEN) || has_metamethod(vm, "__len"));
        coro_pop(vm, 1);
        if (ok)
            return;
    }
    coro_checktype(vm, arg, CORO_TTABLE);
}

static coro_Integer checked_length(coro_VM *vm, int arg, int need)
{
    check_table(vm, arg, need | NEED_LEN);
    return coro_len_int(vm, arg);
}

/* ---- insert / remove ------------------------------------------------------ */

/* Loops whose length the script chooses (a range, a length __len reports)
 * count toward the count hook, one count per ELEMENTS_PER_COUNT elements,
 * so that a host's instruction budget stops table.move(t, 1, 1 << 62)
 * like any other long loop. */
#define ELEMENTS_PER_COUNT 16

static inline void count_element(coro_VM *vm, coro_Integer i)
{
    if ((i & (ELEMENTS_PER_COUNT - 1)) == 0)
        coro_stdlib_count(vm, 1);
}

/* Moves t[from] to t[to]. */
static void move_element(coro_VM *vm, coro_Integer from, coro_Integer to)
{
    coro_geti(vm, 1, from);
    coro_seti(vm, 1, to);
}

static int tab_insert(coro_VM *vm)
{
    coro_Integer n = checked_length(vm, 1, NEED_READ | NEED_WRITE);
    /* The slot after the last element; a length of maxinteger wraps, as
     * in Lua, rather than being an error. */
    coro_Integer end = (coro_Integer)((coro_Unsigned)n + 1);
    coro_Integer pos;
    switch (coro_gettop(vm)) {
    case 2:
        pos = end;
        break;
    case 3:
        pos = coro_checkinteger(vm, 2);
        /* One unsigned comparison tests 1 <= pos <= end. */
        coro_argcheck(vm, (coro_Unsigned)pos - 1u < (coro_Unsigned)end, 2,
                      "position out of bounds");
        for (coro_Integer i = end; i > pos; i--) {
            count_element(vm, i);
            move_element(vm, i - 1, i);
        }
        break;
    default:
        return coro_errorf(vm, "wrong number of arguments to 'insert'");
    }
    coro_seti(vm, 1, pos);
    return 0;
}

static int tab_remove(coro_VM *vm)
{
    coro_Integer size = checked_length(vm, 1, NEED_READ | NEED_WRITE);
    coro_Integer pos = coro_optinteger(vm, 2, size);
    /* Lua 5.4.4 names argument 1 in this message; we say the same so that
     * programs see identical errors. */
    if (pos != size)
        coro_argcheck(vm, (coro_Unsigned)pos - 1u <= (coro_Unsigned)size, 1,
                      "position out of bounds");
    coro_geti(vm, 1, pos);
    for (; pos < size; pos++) {
        count_element(vm, pos);
        move_element(vm, pos + 1, pos);
    }
    coro_pushnil(vm);
    coro_seti(vm, 1, pos);
    return 1;
}

/* ---- move ------------------------------------------------------------------ */

static int tab_move(coro_VM *vm)
{
    coro_Integer f = coro_checkinteger(vm, 2);
    coro_Integer e = coro_checkinteger(vm, 3);
    coro_Integer t = coro_checkinteger(vm, 4);
    int dst = coro_isnoneornil(vm, 5) ? 1 : 5;
    check_table(vm, 1, NEED_READ);
    check_table(vm, dst, NEED_WRITE);
    if (e >= f) {
        /* n = e - f + 1 must not overflow, nor t + n - 1. */
        coro_argcheck(vm, f > 0 || e < INT64_MAX + f, 3, "too many elements to move");
        coro_Integer n = e - f + 1;
        coro_argcheck(vm, t <= INT64_MAX - n + 1, 4, "destination wrap around");
        /* Copy backwards only when the destination overlaps the source
         * from above inside the same table. */
        int same = dst == 1 || coro_compare(vm, 1, dst, CORO_OPEQ);
        if (!same || t > e || t <= f) {
            for (coro_Integer i = 0; i < n; i++) {
                count_element(vm, i);
                coro_geti(vm, 1, f + i);
                coro_seti(vm, dst, t + i);
            }
        } else {
            for (coro_Integer i = n - 1; i >= 0; i--) {
                count_element(vm, i);
                coro_geti(vm, 1, f + i);
                coro_seti(vm, dst, t + i);
            }
        }
    }
    coro_pushvalue(vm, dst);
    return 1;
}

/* ---- concat ----------------------------------------------------------------- */

static void add_element(coro_VM *vm, coro_Buffer *b, coro_Integer i)
{
    int tt = coro_geti(vm, 1, i);
    if (tt != CORO_TSTRING && tt != CORO_TNUMBER) {
        /* %I is coro_pushfstring's, not printf's: format it there. */
        const char *msg = coro_pushfstring(vm, "invalid value (%s) at index %I in table for 'concat'",
                                           coro_typename(vm, tt), i);
        coro_errorf(vm, "%s", msg);
    }
    coro_addvalue(b);
}

static int tab_concat(coro_VM *vm)
{
    coro_Integer last = checked_length(vm, 1, NEED_READ);
    size_t seplen;
    const char *sep = coro_optlstring(vm, 2, "", &seplen);
    coro_Integer i = coro_optinteger(vm, 3, 1);
    last = coro_optinteger(vm, 4, last);
    coro_Buffer b;
    coro_buffinit(vm, &b);
    /* i < last rather than i <= last: last may be maxinteger. */
    for (; i < last; i++) {
        count_element(vm, i);
        add_element(vm, &b, i);
        coro_addlstring(&b, sep, seplen);
    }
    if (i == last)
        add_element(vm, &b, i);
    coro_pushresult(&b);
    return 1;
}

/* ---- pack / unpack ------------------------------------------------------------ */

static int tab_pack(coro_VM *vm)
{
    int n = coro_gettop(vm);
    coro_createtable(vm, n, 1);
    coro_insert(vm, 1);
    for (int i = n; i >= 1; i--)
        coro_rawseti(vm, 1, i);
    coro_pushinteger(vm, n);
    coro_setfield(vm, 1, "n");
    return 1;
}

static int tab_unpack(coro_VM *vm)
{
    coro_Integer i = coro_optinteger(vm, 2, 1);
    coro_Integer e = coro_isnoneornil(vm, 3) ? coro_len_int(vm, 1) : coro_checkinteger(vm, 3);
    if (i > e)
        return 0;
    /* Counted in unsigned arithmetic: e - i may exceed maxinteger.  The
     * cap is far beyond any stack the VM grants; it keeps n + 1 plus
     * coro_checkstack's own reserve well inside an int. */
    coro_Unsigned n = (coro_Unsigned)e - (coro_Unsigned)i;
    if (n >= (coro_Unsigned)INT_MAX / 2 || !coro_checkstack(vm, (int)(n + 1)))
        return coro_errorf(vm, "too many results to unpack");
    for (; i < e; i++)
        coro_geti(vm, 1, i);
    coro_geti(vm, 1, e);
    return (int)(n + 1);
}

/* ---- sort ----------------------------------------------------------------------- */

/* Sort indices fit an unsigned int: sort refuses arrays of INT_MAX or more
 * elements, so lo + hi never overflows. */
typedef unsigned int SortIdx;

/* a < b for the values at stack indices ia and ib, with the comparator in
 * slot 2 if there is one. */
static int sort_less(coro_VM *vm, int ia, int ib)
{
    if (coro_isnil(vm, 2))
        return coro_compare(vm, ia, ib, CORO_OPLT);
    ia = coro_absindex(vm, ia);
    ib = coro_absindex(vm, ib);
    coro_pushvalue(vm, 2);
    coro_pushvalue(vm, ia);
    coro_pushvalue(vm, ib);
    coro_call(vm, 2, 1);
    int r = coro_toboolean(vm, -1);
    coro_pop(vm, 1);
    return r;
}

/* Pops two values: the top one goes to t[i], the one below it to t[j]. */
static void store_pair(coro_VM *vm, SortIdx i, SortIdx j)
{
    coro_seti(vm, 1, i);
    coro_seti(vm, 1, j);
}

/* Puts t[i] and t[j] in order (t[j] < t[i] swaps them). */
static void order_pair(coro_VM *vm, SortIdx i, SortIdx j)
{
    coro_geti(vm, 1, i);
    coro_geti(vm, 1, j);
    if (sort_less(vm, -1, -2))
        store_pair(vm, i, j);   /* t[i] = old t[j], t[j] = old t[i] */
    else
        coro_pop(vm, 2);
}

/* Partitions t[lo..hi] around the pivot P, which is on top of the stack
 * and also stored in t[hi - 1]; t[lo] <= P <= t[hi] hold already.  Returns
 * P's final index p, with t[lo..p-1] <= P <= t[p+1..hi]. */
static SortIdx partition(coro_VM *vm, SortIdx lo, SortIdx hi)
{
    SortIdx i = lo, j = hi - 1;
    for (;;) {
        /* Skip elements below P.  t[hi - 1] is P itself, which is never
         * below P under a valid order: reaching it means the comparator
         * contradicts itself, and going further would leave the range. */
        for (;;) {
            coro_geti(vm, 1, ++i);
            if (!sort_less(vm, -1, -2))
                break;
            if (i == hi - 1)
                coro_errorf(vm, "invalid order function for sorting");
            coro_pop(vm, 1);
        }
        /* Skip elements above P.  Everything below i is known not to be
         * above P, so passing i is again a contradiction (and t[lo] stops
         * the scan at the latest). */
        for (;;) {
            coro_geti(vm, 1, --j);
            if (!sort_less(vm, -3, -1))
                break;
            if (j < i)
                coro_errorf(vm, "invalid order function for sorting");
            coro_pop(vm, 1);
        }
        /* Stack: P, t[i], t[j]. */
        if (j < i) {
            coro_pop(vm, 1);
            /* t[i] (>= P) goes to hi - 1, P to i. */
            coro_geti(vm, 1, hi - 1);
            store_pair(vm, i, hi - 1);
            return i;
        }
        store_pair(vm, i, j);
    }
}

/* Sifts t[lo + root] down the max-heap held in t[lo..lo+n-1].  Values
 * move by swaps only, so a comparator that raises an error leaves the
 * array a permutation of what it was. */
static void sift_down(coro_VM *vm, SortIdx lo, SortIdx root, SortIdx n)
{
    for (;;) {
        SortIdx child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n) {
            coro_geti(vm, 1, lo + child);
            coro_geti(vm, 1, lo + child + 1);
            if (sort_less(vm, -2, -1))
                child++;
            coro_pop(vm, 2);
        }
        coro_geti(vm, 1, lo + root);
        coro_geti(vm, 1, lo + child);
        if (!sort_less(vm, -2, -1)) {
            coro_pop(vm, 2);
            return;
        }
        store_pair(vm, lo + root, lo + child);
        root = child;
    }
}

/* The fallback for ranges that quicksort keeps splitting badly.  It only
 * ever touches t[lo..hi], whatever the comparator answers. */
static void heap_sort(coro_VM *vm, SortIdx lo, SortIdx hi)
{
    SortIdx n = hi - lo + 1;
    for (SortIdx k = n / 2; k-- > 0;)
        sift_down(vm, lo, k, n);
    for (SortIdx end = n - 1; end > 0; end--) {
        coro_geti(vm, 1, lo);
        coro_geti(vm, 1, lo + end);
        store_pair(vm, lo, lo + end);
        sift_down(vm, lo, 0, end);
    }
}

static void quick_sort(coro_VM *vm, SortIdx lo, SortIdx hi, int depth)
{
    while (lo < hi) {
        if (depth-- == 0) {
            heap_sort(vm, lo, hi);
            return;
        }
        /* Median of three: t[lo] <= t[mid] <= t[hi] afterwards. */
        order_pair(vm, lo, hi);
        if (hi - lo == 1)
            return;
        SortIdx mid = lo + (hi - lo) / 2;
        order_pair(vm, lo, mid);
        order_pair(vm, mid, hi);
        if (hi - lo == 2)
            return;
        /* Park the pivot at hi - 1 (t[hi] already bounds the scans from
         * above) and keep a copy on the stack for the partition. */
        coro_geti(vm, 1, mid);
        coro_pushvalue(vm, -1);
        coro_geti(vm, 1, hi - 1);
        store_pair(vm, mid, hi - 1);
        SortIdx p = partition(vm, lo, hi);
        coro_pop(vm, 1);
        /* Recurse into the smaller side so the C stack stays O(log n). */
        if (p - lo < hi - p) {
            quick_sort(vm, lo, p - 1, depth);
            lo = p + 1;
        } else {
            quick_sort(vm, p + 1, hi, depth);
            hi = p - 1;
        }
    }
}

static int tab_sort(coro_VM *vm)
{
    coro_Integer n = checked_length(vm, 1, NEED_READ | NEED_WRITE);
    if (n > 1) {
        coro_argcheck(vm, n < INT_MAX, 1, "array too big");
        if (!coro_isnoneornil(vm, 2))
            coro_checktype(vm, 2, CORO_TFUNCTION);
        coro_settop(vm, 2);
        int depth = 0;
        for (coro_Integer m = n; m > 1; m >>= 1)
            depth += 2;
        quick_sort(vm, 1, (SortIdx)n, depth);
    }
    return 0;
}

static const coro_Reg table_funcs[] = {
    { "concat", tab_concat },
    { "insert", tab_insert },
    { "move", tab_move },
    { "pack", tab_pack },
    { "remove", tab_remove },
    { "sort", tab_sort },
    { "unpack", tab_unpack },
    { NULL, NULL }
};

static int open_table(coro_VM *vm)
{
    coro_newlib(vm, table_funcs);
    return 1;
}

void coro_open_table(coro_VM *vm)
{
    coro_requiref(vm, "table", open_table, 1);
    coro_pop(vm, 1);
}
