/*
 * str.c: string creation, interning and hashing.
 */
#include <string.h>

#include "str.h"
#include "gc.h"
#include "mem.h"

size_t coro_str_size(size_t len)
{
    return offsetof(String, data) + len + 1;
}

static uint32_t hash_bytes(const char *s, size_t len, uint32_t seed)
{
    /* FNV-1a over every byte: strings here are short or hashed once. */
    uint32_t h = seed ^ (uint32_t)len;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

static String *str_alloc(coro_VM *vm, size_t len, bool is_short)
{
    if (len >= (size_t)INT32_MAX * 64)
        coro_mem_error(vm);
    String *s = coro_gc_new(vm, coro_str_size(len), TAG_STRING);
    s->is_short = is_short;
    s->has_hash = 0;
    s->reserved = 0;
    s->hash = 0;
    if (is_short) {
        s->short_len = (uint8_t)len;
        s->u.hnext = NULL;
    } else {
        s->u.long_len = len;
    }
    s->data[len] = '\0';
    return s;
}

static void strings_resize(coro_VM *vm, uint32_t size)
{
    String **fresh = coro_mem_try_realloc(vm, NULL, 0, sizeof(String *) * size);
    if (!fresh)
        return;     /* keep the old, fuller table: it still works */
    memset(fresh, 0, sizeof(String *) * size);
    for (uint32_t i = 0; i < vm->strings_size; i++) {
        String *s = vm->strings[i];
        while (s) {
            String *next = s->u.hnext;
            uint32_t slot = s->hash & (size - 1);
            s->u.hnext = fresh[slot];
            fresh[slot] = s;
            s = next;
        }
    }
    coro_mem_free(vm, vm->strings, sizeof(String *) * vm->strings_size);
    vm->strings = fresh;
    vm->strings_size = size;
}

static String *intern(coro_VM *vm, const char *data, size_t len)
{
    uint32_t h = hash_bytes(data, len, vm->seed);
    String **bucket = &vm->strings[h & (vm->strings_size - 1)];
    for (String *s = *bucket; s; s = s->u.hnext) {
        if (s->short_len == len && memcmp(s->data, data, len) == 0) {
            return s;
        }
    }
    if (vm->strings_count >= vm->strings_size && vm->strings_size < (1u << 30)) {
        strings_resize(vm, vm->strings_size * 2);
        bucket = &vm->strings[h & (vm->strings_size - 1)];
    }
    String *s = str_alloc(vm, len, true);
    memcpy(s->data, data, len);
    s->hash = h;
    s->has_hash = 1;
    s->u.hnext = *bucket;
    *bucket = s;
    vm->strings_count++;
    return s;
}

String *coro_str_new(coro_VM *vm, const char *s, size_t len)
{
    if (len <= SHORT_STRING_MAX)
        return intern(vm, s, len);
    String *str = str_alloc(vm, len, false);
    memcpy(str->data, s, len);
    return str;
}

String *coro_str_newc(coro_VM *vm, const char *s)
{
    return coro_str_new(vm, s, strlen(s));
}

String *coro_str_new_long(coro_VM *vm, size_t len)
{
    return str_alloc(vm, len, false);
}

uint32_t coro_str_hash(String *s)
{
    if (!s->has_hash) {
        s->hash = hash_bytes(s->data, s->u.long_len, 0x2545F491u);
        s->has_hash = 1;
    }
    return s->hash;
}

bool coro_str_equal(const String *a, const String *b)
{
    if (a == b)
        return true;
    if (a->is_short && b->is_short)
        return false;
    size_t la = str_len(a);
    return la == str_len(b) && memcmp(a->data, b->data, la) == 0;
}

int coro_str_compare(const String *a, const String *b)
{
    /* Lua compares with strcoll over NUL-separated pieces; in the C
     * locale that is byte order, with embedded NULs ordering first. */
    size_t n = str_len(a) < str_len(b) ? str_len(a) : str_len(b);
    int c = memcmp(a->data, b->data, n);
    if (c != 0)
        return c;
    return str_len(a) < str_len(b) ? -1 : str_len(a) > str_len(b) ? 1 : 0;
}

void coro_str_table_init(coro_VM *vm)
{
    vm->strings_size = 128;
    vm->strings = coro_mem_try_realloc(vm, NULL, 0, sizeof(String *) * vm->strings_size);
    if (vm->strings)
        memset(vm->strings, 0, sizeof(String *) * vm->strings_size);
    vm->strings_count = 0;
}

void coro_str_table_free(coro_VM *vm)
{
    coro_mem_free(vm, vm->strings, sizeof(String *) * vm->strings_size);
    vm->strings = NULL;
}

void coro_str_unlink(coro_VM *vm, String *s)
{
    String **p = &vm->strings[s->hash & (vm->strings_size - 1)];
    while (*p != s)
        p = &(*p)->u.hnext;
    *p = s->u.hnext;
    vm->strings_count--;
}
