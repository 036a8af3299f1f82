/*
 * state.c: creating and freeing VMs, memory settings, hooks, the
 * collector's API.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coro.h"
#include "call.h"
#include "coroutine.h"
#include "gc.h"
#include "mem.h"
#include "meta.h"
#include "str.h"
#include "table.h"

#define DEFAULT_MAX_FRAMES 1000000

void coro_config_init(coro_Config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->alloc = coro_mem_system_alloc;
    cfg->max_frames = DEFAULT_MAX_FRAMES;
}

static uint32_t make_seed(coro_VM *vm)
{
    uintptr_t a = (uintptr_t)vm;
    uint64_t h = (uint64_t)a ^ ((uint64_t)time(NULL) << 17) ^ (uint64_t)(uintptr_t)&a;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    return (uint32_t)h;
}

static void init_heap(coro_VM *vm)
{
    coro_str_table_init(vm);
    if (!vm->strings)
        coro_mem_error(vm);
    vm->memerr_msg = coro_str_newc(vm, "not enough memory");
    vm->memerr_msg->marked |= MARK_FIXED;

    Coroutine *main = coro_co_new(vm, 64);
    vm->main_co = main;
    vm->current = main;
    main->status = CO_RUNNING;
    main->started = CO_STARTED;
    Frame *base = coro_frame_push(vm, main, false);
    base->func = main->stack;
    base->top = main->stack + 1 + CORO_MINSTACK;
    base->flags = FRAME_C;
    base->nresults = 0;
    base->pending = 0;
    base->aux = 0;
    base->u.c.k = NULL;
    base->u.c.ctx = 0;
    main->top = main->stack + 1;

    vm->registry = coro_table_new(vm, 2, 4);
    vm->globals = coro_table_new(vm, 0, 64);
    Value g;
    set_table(&g, vm->globals);
    coro_table_set_int(vm, vm->registry, CORO_RIDX_GLOBALS, &g);
    Value loaded;
    set_table(&loaded, coro_table_new(vm, 0, 16));
    coro_table_set_str(vm, vm->registry, coro_str_newc(vm, "_LOADED"), &loaded);
    coro_meta_init(vm);
}

coro_VM *coro_new(const coro_Config *cfg)
{
    coro_Config defaults;
    if (!cfg) {
        coro_config_init(&defaults);
        cfg = &defaults;
    }
    coro_Alloc const alloc = cfg->alloc ? cfg->alloc : coro_mem_system_alloc;
    void *const alloc_ud = cfg->alloc_ud;
    coro_VM *vm = alloc(alloc_ud, NULL, 0, sizeof(coro_VM));
    if (!vm)
        return NULL;
    memset(vm, 0, sizeof *vm);
    vm->alloc = alloc;
    vm->alloc_ud = cfg->alloc_ud;
    vm->bytes = sizeof(coro_VM);
    vm->memory_limit = cfg->memory_limit;
    vm->max_frames = cfg->max_frames > 0 ? (uint32_t)cfg->max_frames : DEFAULT_MAX_FRAMES;
    vm->hook_countdown = 1 << 30;
    vm->seed = make_seed(vm);
    const char *stress = getenv("CORO_GC_STRESS");
    vm->gc_stress = stress && *stress && strcmp(stress, "0") != 0;
    vm->gc_threshold = (size_t)-1;  /* no collection while we build */
    vm->gc_generational = 1;
    vm->gc_mark_bit = MARK_BLACK;
    set_nil(&vm->none);

    ErrorJmp ej;
    ej.prev = NULL;
    vm->errjmp = &ej;
    if (setjmp(ej.buf) != 0) {
        vm->errjmp = NULL;
        coro_gc_free_all(vm);
        coro_str_table_free(vm);
        vm->alloc(vm->alloc_ud, vm, sizeof(coro_VM), 0);
        return NULL;
    }
    init_heap(vm);
    vm->errjmp = NULL;
    coro_gc_set_threshold(vm);
    return vm;
}

void coro_free(coro_VM *vm)
{
    if (!vm)
        return;
    vm->current = vm->main_co;
    if (vm->sched_free)
        vm->sched_free(vm);
    coro_gc_free_all(vm);
    coro_str_table_free(vm);
    vm->alloc(vm->alloc_ud, vm, sizeof(coro_VM), 0);
}

size_t coro_memory_used(coro_VM *vm)
{
    return vm->bytes;
}

void coro_set_memory_limit(coro_VM *vm, size_t limit)
{
    vm->memory_limit = limit;
    coro_gc_set_threshold(vm);
}

void coro_sethook(coro_VM *vm, coro_Hook hook, int count)
{
    if (!hook || count <= 0) {
        vm->hook = NULL;
        vm->hook_every = 0;
        vm->hook_countdown = 1 << 30;
        return;
    }
    vm->hook = hook;
    vm->hook_every = count;
    vm->hook_countdown = count;
}

void coro_set_userdata(coro_VM *vm, void *ud)
{
    vm->host_ud = ud;
}

void *coro_get_userdata(coro_VM *vm)
{
    return vm->host_ud;
}

int coro_gc(coro_VM *vm, int what, int arg)
{
    (void)arg;
    switch (what) {
    case CORO_GCSTOP:
        vm->gc_stopped = 1;
        return 0;
    case CORO_GCRESTART:
        vm->gc_stopped = 0;
        coro_gc_set_threshold(vm);
        return 0;
    case CORO_GCCOLLECT:
        coro_gc_full(vm);
        coro_co_shrink_running(vm, vm->current);
        return 0;
    case CORO_GCCOUNT:
        return (int)(vm->bytes >> 10);
    case CORO_GCCOUNTB:
        return (int)(vm->bytes & 0x3ff);
    case CORO_GCSTEP:
        coro_gc_full(vm);
        return 1;
    case CORO_GCISRUNNING:
        return !vm->gc_stopped;
    case CORO_GCGEN:
    case CORO_GCINC: {
        int previous = vm->gc_generational ? CORO_GCGEN : CORO_GCINC;
        coro_gc_set_generational(vm, what == CORO_GCGEN);
        return previous;
    }
    default:
        return -1;
    }
}
