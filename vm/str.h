/*
 * str.h: strings.
 *
 * Strings are immutable byte arrays with their length, always followed by
 * a NUL so C code can use them directly.  Short strings (up to
 * SHORT_STRING_MAX bytes: identifiers, field names, most keys) are
 * interned in a hash set owned by the VM: creating one looks it up first,
 * so two equal short strings are one object and compare by pointer, and
 * their hash is computed once.  Long strings are created without lookup
 * (building a 1 MB string should not hash it) and hash lazily the first
 * time they are used as a table key.
 */
#ifndef CORO_STR_H
#define CORO_STR_H

#include "state.h"

String *coro_str_new(coro_VM *vm, const char *s, size_t len);
String *coro_str_newc(coro_VM *vm, const char *s);
/* A long string of len bytes to fill in (then call nothing: it is done). */
String *coro_str_new_long(coro_VM *vm, size_t len);
uint32_t coro_str_hash(String *s);
bool coro_str_equal(const String *a, const String *b);
/* Byte-wise comparison as Lua's < on strings (strcoll-free, by bytes). */
int coro_str_compare(const String *a, const String *b);

void coro_str_table_init(coro_VM *vm);
void coro_str_table_free(coro_VM *vm);
/* Called by the sweep for a dying short string. */
void coro_str_unlink(coro_VM *vm, String *s);
size_t coro_str_size(size_t len);

#define str_data(s) ((s)->data)

#endif
