/*
 * scope.c: enclosing functions and blocks, labels and pending gotos, for
 * Lua 5.4's jump errors (see scope.h for why they are checked here).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scope.h"

void coro_scope_init(CoroScope *s, AstAllocFn alloc, void *alloc_ud)
{
    memset(s, 0, sizeof *s);
    s->alloc = alloc;
    s->alloc_ud = alloc_ud;
}

static void free_array(CoroScope *s, void *items, int cap, size_t size)
{
    if (items)
        s->alloc(s->alloc_ud, items, (size_t)cap * size, 0);
}

void coro_scope_free(CoroScope *s)
{
    free_array(s, s->locals, s->cap_locals, sizeof *s->locals);
    free_array(s, s->labels, s->cap_labels, sizeof *s->labels);
    free_array(s, s->gotos, s->cap_gotos, sizeof *s->gotos);
    free_array(s, s->pending, s->cap_pending, sizeof *s->pending);
    memset(s, 0, sizeof *s);
}

/* Makes room for one more item in a growable array. */
static bool reserve(CoroScope *s, void **items, int count, int *cap,
                    size_t size)
{
    if (count < *cap)
        return true;
    if (*cap > INT_MAX / 2)
        return false;
    int new_cap = *cap ? *cap * 2 : 16;
    void *grown = s->alloc(s->alloc_ud, *items, (size_t)*cap * size,
                           (size_t)new_cap * size);
    if (!grown)
        return false;
    *items = grown;
    *cap = new_cap;
    return true;
}

static CoroScopeStatus push_jump(CoroScope *s, ScopeJump **items, int *count,
                                 int *cap, ScopeJump jump)
{
    void *p = *items;
    if (!reserve(s, &p, *count, cap, sizeof **items))
        return CORO_SCOPE_NO_MEMORY;
    *items = p;
    (*items)[(*count)++] = jump;
    return CORO_SCOPE_OK;
}

__attribute__((format(printf, 2, 3)))
static CoroScopeStatus fail(CoroScope *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    return CORO_SCOPE_ERROR;
}

static bool same_name(AstString a, AstString b)
{
    return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

static ScopeFunction *current_function(CoroScope *s)
{
    return &s->functions[s->nfunctions - 1];
}

static int active_locals(CoroScope *s)
{
    return s->nlocals - current_function(s)->first_local;
}

/* ---- functions and blocks ---------------------------------------------- */

void coro_scope_open_function(CoroScope *s)
{
    /* Only a parse already failing on its nesting limit gets here full. */
    if (s->nfunctions == (int)(sizeof s->functions / sizeof s->functions[0]))
        return;
    ScopeFunction *fn = &s->functions[s->nfunctions++];
    fn->first_local = s->nlocals;
    fn->first_label = s->nlabels;
    fn->first_goto = s->ngotos;
    fn->first_block = s->nblocks;
    fn->is_vararg = false;
}

CoroScopeStatus coro_scope_close_function(CoroScope *s)
{
    if (s->nfunctions == 0)
        return CORO_SCOPE_OK;
    ScopeFunction *fn = current_function(s);
    if (s->ngotos > fn->first_goto) {
        ScopeJump *g = &s->gotos[fn->first_goto];
        if (g->name.len == 5 && memcmp(g->name.data, "break", 5) == 0)
            return fail(s, "break outside loop at line %d", g->line);
        return fail(s, "no visible label '%s' for <goto> at line %d",
                    g->name.data, g->line);
    }
    s->nlocals = fn->first_local;
    s->nlabels = fn->first_label;
    s->ngotos = fn->first_goto;
    s->nblocks = fn->first_block;
    s->nfunctions--;
    return CORO_SCOPE_OK;
}

void coro_scope_set_vararg(CoroScope *s, bool is_vararg)
{
    if (s->nfunctions > 0)
        current_function(s)->is_vararg = is_vararg;
}

bool coro_scope_is_vararg(const CoroScope *s)
{
    return s->nfunctions > 0 && s->functions[s->nfunctions - 1].is_vararg;
}

void coro_scope_enter_block(CoroScope *s, bool is_loop)
{
    if (s->nblocks == (int)(sizeof s->blocks / sizeof s->blocks[0]) ||
        s->nfunctions == 0)
        return;
    ScopeBlock *b = &s->blocks[s->nblocks++];
    b->nactive = active_locals(s);
    b->first_label = s->nlabels;
    b->first_goto = s->ngotos;
    b->is_loop = is_loop;
}

/* Removes goto i, keeping the others in order: when a function ends with
 * gotos unresolved, Lua names the earliest. */
static void remove_goto(CoroScope *s, int i)
{
    memmove(&s->gotos[i], &s->gotos[i + 1],
            (size_t)(s->ngotos - i - 1) * sizeof s->gotos[0]);
    s->ngotos--;
}

/* Resolves the pending gotos of the current block that jump to label. */
static CoroScopeStatus resolve_gotos(CoroScope *s, const ScopeJump *label)
{
    int i = s->blocks[s->nblocks - 1].first_goto;
    while (i < s->ngotos) {
        ScopeJump *g = &s->gotos[i];
        if (!same_name(g->name, label->name)) {
            i++;
            continue;
        }
        if (g->nactive < label->nactive) {
            AstString local = s->locals[current_function(s)->first_local +
                                        g->nactive];
            return fail(s, "<goto %s> at line %d jumps into the scope of "
                        "local '%s'", g->name.data, g->line, local.data);
        }
        remove_goto(s, i);
    }
    return CORO_SCOPE_OK;
}

CoroScopeStatus coro_scope_leave_block(CoroScope *s)
{
    if (s->nblocks == 0 || s->nfunctions == 0)
        return CORO_SCOPE_OK;
    ScopeBlock *b = &s->blocks[s->nblocks - 1];
    s->nlocals = current_function(s)->first_local + b->nactive;
    if (b->is_loop) {
        /* A loop's end is the label every `break` inside it waits for. */
        ScopeJump exit = { { "break", 5 }, 0, b->nactive };
        CoroScopeStatus st = resolve_gotos(s, &exit);
        if (st != CORO_SCOPE_OK)
            return st;
    }
    s->nlabels = b->first_label;
    s->nblocks--;
    /* Gotos still pending now wait in the enclosing block, from its
     * level; at a function's outermost block they wait for the end of
     * the function, where Lua reports them. */
    if (s->nblocks > current_function(s)->first_block) {
        for (int i = b->first_goto; i < s->ngotos; i++)
            s->gotos[i].nactive = b->nactive;
    }
    return CORO_SCOPE_OK;
}

/* ---- locals, gotos, labels --------------------------------------------- */

CoroScopeStatus coro_scope_add_local(CoroScope *s, AstString name)
{
    void *p = s->locals;
    if (!reserve(s, &p, s->nlocals, &s->cap_locals, sizeof *s->locals))
        return CORO_SCOPE_NO_MEMORY;
    s->locals = p;
    s->locals[s->nlocals++] = name;
    return CORO_SCOPE_OK;
}

/* A label visible from here: in this function, in an open block. */
static const ScopeJump *find_label(CoroScope *s, AstString name)
{
    for (int i = current_function(s)->first_label; i < s->nlabels; i++) {
        if (same_name(s->labels[i].name, name))
            return &s->labels[i];
    }
    return NULL;
}

CoroScopeStatus coro_scope_goto(CoroScope *s, AstString name, int line)
{
    if (s->nfunctions == 0 || find_label(s, name))
        return CORO_SCOPE_OK;     /* backward jumps are always fine */
    ScopeJump g = { name, line, active_locals(s) };
    return push_jump(s, &s->gotos, &s->ngotos, &s->cap_gotos, g);
}

CoroScopeStatus coro_scope_break(CoroScope *s, int line)
{
    if (s->nfunctions == 0)
        return CORO_SCOPE_OK;
    ScopeJump g = { { "break", 5 }, line, active_locals(s) };
    return push_jump(s, &s->gotos, &s->ngotos, &s->cap_gotos, g);
}

CoroScopeStatus coro_scope_label(CoroScope *s, AstString name, int line)
{
    ScopeJump label = { name, line, 0 };
    return push_jump(s, &s->pending, &s->npending, &s->cap_pending, label);
}

static CoroScopeStatus place_label(CoroScope *s, ScopeJump label,
                                   bool at_block_end)
{
    const ScopeJump *old = find_label(s, label.name);
    if (old)
        return fail(s, "label '%s' already defined on line %d",
                    label.name.data, old->line);
    label.nactive = at_block_end ? s->blocks[s->nblocks - 1].nactive
                                 : active_locals(s);
    CoroScopeStatus st = push_jump(s, &s->labels, &s->nlabels,
                                   &s->cap_labels, label);
    return st == CORO_SCOPE_OK ? resolve_gotos(s, &label) : st;
}

/* Lua reads the no-op statements after a label inside the label's own
 * statement, so consecutive labels are placed innermost (last) first. */
CoroScopeStatus coro_scope_place_labels(CoroScope *s, bool at_block_end)
{
    if (s->nfunctions == 0 || s->nblocks == 0) {
        s->npending = 0;
        return CORO_SCOPE_OK;
    }
    while (s->npending > 0) {
        ScopeJump label = s->pending[--s->npending];
        CoroScopeStatus st = place_label(s, label, at_block_end);
        if (st != CORO_SCOPE_OK)
            return st;
    }
    return CORO_SCOPE_OK;
}
