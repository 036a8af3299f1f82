/*
 * disasm.h: bytecode listings.
 */
#ifndef CORO_DISASM_H
#define CORO_DISASM_H

#include <stdio.h>

#include "state.h"

void coro_disasm(FILE *out, const Proto *p);

#endif
