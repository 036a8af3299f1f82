/*
 * lib_math.c: the math library (Lua 5.4's).
 *
 * Integer and float results follow Lua: floor, ceil and modf give integers
 * when the result fits one, abs and fmod keep integer arithmetic (with its
 * wrap-around) for integer arguments, max and min return the winning
 * argument unchanged.
 *
 * The generator is xoshiro256**, seeded the way Lua 5.4.4 seeds it and
 * turning its output into floats and ranges the same way, so a program
 * that calls math.randomseed(n) draws the same numbers as under lua5.4.
 * Its state lives in a userdata shared by random and randomseed as their
 * upvalue, so every VM has its own.
 */
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "coro.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Pushes d as an integer when it has an exact integer value in range,
 * else as a float (floor, ceil and modf results). */
static void push_integral(coro_VM *vm, coro_Number d)
{
    /* -(double)INT64_MIN is 2^63 exactly; the comparisons also reject NaN. */
    if (d >= (coro_Number)INT64_MIN && d < -(coro_Number)INT64_MIN)
        coro_pushinteger(vm, (coro_Integer)d);
    else
        coro_pushnumber(vm, d);
}

static int math_abs(coro_VM *vm)
{
    if (coro_isinteger(vm, 1)) {
        coro_Integer n = coro_tointeger(vm, 1);
        /* Unsigned negation: abs(mininteger) wraps to itself, as in Lua. */
        if (n < 0)
            n = (coro_Integer)(0u - (coro_Unsigned)n);
        coro_pushinteger(vm, n);
    } else {
        coro_pushnumber(vm, fabs(coro_checknumber(vm, 1)));
    }
    return 1;
}

static int math_floor(coro_VM *vm)
{
    if (coro_isinteger(vm, 1))
        coro_settop(vm, 1);
    else
        push_integral(vm, floor(coro_checknumber(vm, 1)));
    return 1;
}

static int math_ceil(coro_VM *vm)
{
    if (coro_isinteger(vm, 1))
        coro_settop(vm, 1);
    else
        push_integral(vm, ceil(coro_checknumber(vm, 1)));
    return 1;
}

static int math_fmod(coro_VM *vm)
{
    if (coro_isinteger(vm, 1) && coro_isinteger(vm, 2)) {
        coro_Integer a = coro_tointeger(vm, 1);
        coro_Integer d = coro_tointeger(vm, 2);
        if (d == 0)
            coro_argerror(vm, 2, "zero");
        /* C's % truncates like fmod; only mininteger % -1 overflows. */
        coro_pushinteger(vm, d == -1 ? 0 : a % d);
    } else {
        coro_Number a = coro_checknumber(vm, 1);
        coro_pushnumber(vm, fmod(a, coro_checknumber(vm, 2)));
    }
    return 1;
}

static int math_modf(coro_VM *vm)
{
    if (coro_isinteger(vm, 1)) {
        coro_settop(vm, 1);
        coro_pushnumber(vm, 0.0);
        return 2;
    }
    coro_Number x = coro_checknumber(vm, 1);
    coro_Number ip = x < 0 ? ceil(x) : floor(x);
    push_integral(vm, ip);
    /* x - ip would be NaN for the infinities, whose fraction is 0. */
    coro_pushnumber(vm, x == ip ? 0.0 : x - ip);
    return 2;
}

static int math_sqrt(coro_VM *vm)
{
    coro_pushnumber(vm, sqrt(coro_checknumber(vm, 1)));
    return 1;
}

static int math_exp(coro_VM *vm)
{
    coro_pushnumber(vm, exp(coro_checknumber(vm, 1)));
    return 1;
}

static int math_log(coro_VM *vm)
{
    coro_Number x = coro_checknumber(vm, 1);
    coro_Number r;
    if (coro_isnoneornil(vm, 2)) {
        r = log(x);
    } else {
        coro_Number base = coro_checknumber(vm, 2);
        /* log2 and log10 are exact where log(x)/log(base) is not
         * (log(1000)/log(10) is 2.9999999999999996). */
        if (base == 2.0)
            r = log2(x);
        else if (base == 10.0)
            r = log10(x);
        else
            r = log(x) / log(base);
    }
    coro_pushnumber(vm, r);
    return 1;
}

static int math_sin(coro_VM *vm)
{
    coro_pushnumber(vm, sin(coro_checknumber(vm, 1)));
    return 1;
}

static int math_cos(coro_VM *vm)
{
    coro_pushnumber(vm, cos(coro_checknumber(vm, 1)));
    return 1;
}

static int math_tan(coro_VM *vm)
{
    coro_pushnumber(vm, tan(coro_checknumber(vm, 1)));
    return 1;
}

static int math_asin(coro_VM *vm)
{
    coro_pushnumber(vm, asin(coro_checknumber(vm, 1)));
    return 1;
}

static int math_acos(coro_VM *vm)
{
    coro_pushnumber(vm, acos(coro_checknumber(vm, 1)));
    return 1;
}

static int math_atan(coro_VM *vm)
{
    coro_Number y = coro_checknumber(vm, 1);
    coro_Number x = coro_optnumber(vm, 2, 1.0);
    coro_pushnumber(vm, atan2(y, x));
    return 1;
}

/* Lua 5.3's functions that 5.4 keeps under LUA_COMPAT_MATHLIB, as the
 * lua5.4 of Debian and most distributions is built: programs written
 * against it call them. */
static int math_cosh(coro_VM *vm)
{
    coro_pushnumber(vm, cosh(coro_checknumber(vm, 1)));
    return 1;
}

static int math_sinh(coro_VM *vm)
{
    coro_pushnumber(vm, sinh(coro_checknumber(vm, 1)));
    return 1;
}

static int math_tanh(coro_VM *vm)
{
    coro_pushnumber(vm, tanh(coro_checknumber(vm, 1)));
    return 1;
}

static int math_pow(coro_VM *vm)
{
    coro_Number x = coro_checknumber(vm, 1);
    coro_pushnumber(vm, pow(x, coro_checknumber(vm, 2)));
    return 1;
}

static int math_log10(coro_VM *vm)
{
    coro_pushnumber(vm, log10(coro_checknumber(vm, 1)));
    return 1;
}

static int math_frexp(coro_VM *vm)
{
    int e;
    coro_pushnumber(vm, frexp(coro_checknumber(vm, 1), &e));
    coro_pushinteger(vm, e);
    return 2;
}

static int math_ldexp(coro_VM *vm)
{
    coro_Number x = coro_checknumber(vm, 1);
    coro_Integer e = coro_checkinteger(vm, 2);
    /* Past +-100,000 the result is 0 or infinity (or x itself for 0, inf
     * and NaN) whatever the exponent, so clamping changes nothing and
     * keeps the conversion to int defined. */
    if (e > 100000)
        e = 100000;
    else if (e < -100000)
        e = -100000;
    coro_pushnumber(vm, ldexp(x, (int)e));
    return 1;
}

/* Written as one multiplication by a constant, as Lua does, so results
 * agree to the last bit. */
static int math_deg(coro_VM *vm)
{
    coro_pushnumber(vm, coro_checknumber(vm, 1) * (180.0 / M_PI));
    return 1;
}

static int math_rad(coro_VM *vm)
{
    coro_pushnumber(vm, coro_checknumber(vm, 1) * (M_PI / 180.0));
    return 1;
}

static int math_tointeger(coro_VM *vm)
{
    int ok;
    coro_Integer n = coro_tointegerx(vm, 1, &ok);
    if (ok) {
        coro_pushinteger(vm, n);
    } else {
        coro_checkany(vm, 1);
        coro_pushnil(vm);
    }
    return 1;
}

static int math_type(coro_VM *vm)
{
    coro_checkany(vm, 1);
    if (coro_type(vm, 1) == CORO_TNUMBER)
        coro_pushstring(vm, coro_isinteger(vm, 1) ? "integer" : "float");
    else
        coro_pushnil(vm);
    return 1;
}

static int math_ult(coro_VM *vm)
{
    coro_Integer a = coro_checkinteger(vm, 1);
    coro_Integer b = coro_checkinteger(vm, 2);
    coro_pushboolean(vm, (coro_Unsigned)a < (coro_Unsigned)b);
    return 1;
}

/* max and min compare the arguments as `<` does (any comparable values,
 * metamethods included) and return the winner itself, so its subtype and
 * even its type are kept. */
static int math_minmax(coro_VM *vm, int want_max)
{
    int n = coro_gettop(vm);
    coro_argcheck(vm, n >= 1, 1, "value expected");
    int best = 1;
    for (int i = 2; i <= n; i++) {
        if (want_max ? coro_compare(vm, best, i, CORO_OPLT)
                     : coro_compare(vm, i, best, CORO_OPLT))
            best = i;
    }
    coro_pushvalue(vm, best);
    return 1;
}

static int math_max(coro_VM *vm)
{
    return math_minmax(vm, 1);
}

static int math_min(coro_VM *vm)
{
    return math_minmax(vm, 0);
}

/* ---- random numbers --------------------------------------------------------- */

typedef struct RandomState {
    uint64_t s[4];
} RandomState;

static uint64_t rotl(uint64_t x, int n)
{
    return (x << n) | (x >> (64 - n));
}

/* xoshiro256** (Blackman and Vigna). */
static uint64_t next_random(RandomState *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* A float in [0, 1) from the top 53 bits, each float equally likely. */
static coro_Number random_float(uint64_t x)
{
    return (coro_Number)(x >> 11) * 0x1.0p-53;
}

/* A uniform integer in [0, n]: take the low bits of x under the smallest
 * all-ones mask covering n, drawing again while the result exceeds n (at
 * most half the draws are rejected, so the loop ends quickly). */
static uint64_t random_upto(RandomState *r, uint64_t x, uint64_t n)
{
    if ((n & (n + 1)) == 0)     /* n + 1 is a power of two: no bias */
        return x & n;
    uint64_t mask = n;
    for (int shift = 1; shift < 64; shift <<= 1)
        mask |= mask >> shift;
    while ((x &= mask) > n)
        x = next_random(r);
    return x;
}

static RandomState *random_state(coro_VM *vm)
{
    return coro_touserdata(vm, coro_upvalueindex(1));
}

static int math_random(coro_VM *vm)
{
    RandomState *r = random_state(vm);
    uint64_t x = next_random(r);
    coro_Integer low, up;
    switch (coro_gettop(vm)) {
    case 0:
        coro_pushnumber(vm, random_float(x));
        return 1;
    case 1:
        low = 1;
        up = coro_checkinteger(vm, 1);
        if (up == 0) {          /* random(0): all 64 bits */
            coro_pushinteger(vm, (coro_Integer)x);
            return 1;
        }
        break;
    case 2:
        low = coro_checkinteger(vm, 1);
        up = coro_checkinteger(vm, 2);
        break;
    default:
        return coro_errorf(vm, "wrong number of arguments");
    }
    coro_argcheck(vm, low <= up, 1, "interval is empty");
    /* up - low may exceed maxinteger: work in unsigned arithmetic. */
    uint64_t offset = random_upto(r, x, (coro_Unsigned)up - (coro_Unsigned)low);
    coro_pushinteger(vm, (coro_Integer)(offset + (coro_Unsigned)low));
    return 1;
}

/* Lua 5.4.4's seeding: the two seed words, the constant 0xff so that no
 * seed gives the all-zero state, and 16 discarded outputs to spread the
 * seed over all bits.  Pushes the two words, randomseed's results. */
static void set_seed(coro_VM *vm, RandomState *r, uint64_t n1, uint64_t n2)
{
    r->s[0] = n1;
    r->s[1] = 0xff;
    r->s[2] = n2;
    r->s[3] = 0;
    for (int i = 0; i < 16; i++)
        next_random(r);
    coro_pushinteger(vm, (coro_Integer)n1);
    coro_pushinteger(vm, (coro_Integer)n2);
}

/* An unpredictable seed: the time, the clock and addresses (which ASLR
 * varies between runs). */
static void seed_randomly(coro_VM *vm, RandomState *r)
{
    uint64_t t = (uint64_t)time(NULL);
    uint64_t c = (uint64_t)clock();
    uint64_t a = (uint64_t)(uintptr_t)vm;
    uint64_t b = (uint64_t)(uintptr_t)&t;
    set_seed(vm, r, t ^ (a << 1) ^ rotl(c, 32), b ^ rotl(a, 17));
}

static int math_randomseed(coro_VM *vm)
{
    RandomState *r = random_state(vm);
    if (coro_isnone(vm, 1)) {
        seed_randomly(vm, r);
    } else {
        coro_Integer n1 = coro_checkinteger(vm, 1);
        coro_Integer n2 = coro_optinteger(vm, 2, 0);
        set_seed(vm, r, (uint64_t)n1, (uint64_t)n2);
    }
    return 2;
}

static const coro_Reg math_funcs[] = {
    { "abs", math_abs },
    { "acos", math_acos },
    { "asin", math_asin },
    { "atan", math_atan },
    { "ceil", math_ceil },
    { "cos", math_cos },
    { "deg", math_deg },
    { "exp", math_exp },
    { "floor", math_floor },
    { "fmod", math_fmod },
    { "log", math_log },
    { "max", math_max },
    { "min", math_min },
    { "modf", math_modf },
    { "rad", math_rad },
    { "sin", math_sin },
    { "sqrt", math_sqrt },
    { "tan", math_tan },
    { "tointeger", math_tointeger },
    { "type", math_type },
    { "ult", math_ult },
    /* LUA_COMPAT_MATHLIB */
    { "atan2", math_atan },
    { "cosh", math_cosh },
    { "frexp", math_frexp },
    { "ldexp", math_ldexp },
    { "log10", math_log10 },
    { "pow", math_pow },
    { "sinh", math_sinh },
    { "tanh", math_tanh },
    { NULL, NULL }
};

static const coro_Reg random_funcs[] = {
    { "random", math_random },
    { "randomseed", math_randomseed },
    { NULL, NULL }
};

static int open_math(coro_VM *vm)
{
    coro_newlib(vm, math_funcs);
    coro_pushnumber(vm, M_PI);
    coro_setfield(vm, -2, "pi");
    coro_pushnumber(vm, HUGE_VAL);
    coro_setfield(vm, -2, "huge");
    coro_pushinteger(vm, INT64_MAX);
    coro_setfield(vm, -2, "maxinteger");
    coro_pushinteger(vm, INT64_MIN);
    coro_setfield(vm, -2, "mininteger");
    RandomState *r = coro_newuserdata(vm, sizeof *r);
    seed_randomly(vm, r);
    coro_pop(vm, 2);
    coro_setfuncs(vm, random_funcs, 1);
    return 1;
}

void coro_open_math(coro_VM *vm)
{
    coro_requiref(vm, "math", open_math, 1);
    coro_pop(vm, 1);
}
