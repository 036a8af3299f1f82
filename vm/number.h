/*
 * number.h: Lua 5.4's number semantics.
 *
 * Integers are 64-bit with wrap-around; floats are doubles.  Arithmetic
 * on two integers stays integer (except `/` and `^`); mixing gives a float.
 * Bitwise operators need integers and accept floats with an exact integer
 * value.  Conversions between strings and numbers follow Lua's lexer
 * rules (hex, hex floats, exponents, leading/trailing spaces), and numbers
 * print as %.14g with ".0" added to integral floats.
 */
#ifndef CORO_NUMBER_H
#define CORO_NUMBER_H

#include "state.h"

/* How a float converts to an integer. */
typedef enum F2IMode { F2I_EXACT, F2I_FLOOR, F2I_CEIL } F2IMode;

bool coro_flt_to_int(double d, int64_t *out, F2IMode mode);
/* Integer value of v (integer, integral float, or such a string). */
bool coro_value_to_int(const Value *v, int64_t *out, F2IMode mode);
/* Numeric value of v (number or numeric string). */
bool coro_value_to_number(const Value *v, double *out);
/* Converts a numeric string in place to its number. */
bool coro_value_str_to_num(const Value *v, Value *out);

int64_t coro_int_idiv(coro_VM *vm, int64_t a, int64_t b);
int64_t coro_int_mod(coro_VM *vm, int64_t a, int64_t b);
double coro_flt_mod(double a, double b);
double coro_flt_idiv(double a, double b);
int64_t coro_int_shl(int64_t x, int64_t y);

/* Performs arithmetic op (CORO_OP*) on two numbers or numeric strings.
 * Returns false when an operand is not a number (or, for bitwise ops, has
 * no integer value); raises for integer division by zero only when vm is
 * not NULL (the constant folder passes NULL and never folds those). */
bool coro_arith_raw(coro_VM *vm, int op, const Value *a, const Value *b, Value *res);

/* Parses a whole numeral (surrounding spaces allowed).  Returns the length
 * consumed + 1, or 0 if s is not a numeral. */
size_t coro_str_to_number(const char *s, size_t len, Value *out);
/* Writes a number as tostring does; returns the length.  buf >= 48 bytes. */
int coro_number_to_str(const Value *v, char *buf);

#define NUMBER_BUF 48

#endif
