/*
 * opcodes.h: the instruction set, written once.
 *
 * Instructions are 32 bits.  Five layouts share the low 7 bits (opcode):
 *
 *   31       24 23       16 15 14         7 6       0
 *  +-----------+-----------+--+------------+---------+
 *  |     C     |     B     |k |     A      |   op    |   iABC
 *  +-----------+-----------+--+------------+---------+
 *  |          Bx (17 bits)    |     A      |   op    |   iABx
 *  +--------------------------+------------+---------+
 *  |          sBx (Bx - 65535)|     A      |   op    |   iAsBx
 *  +--------------------------+------------+---------+
 *  |            Ax / sJ (25 bits)          |   op    |   iAx, isJ
 *  +---------------------------------------+---------+
 *
 * R[x] is register x of the frame, K[x] constant x, U[x] upvalue x,
 * RK(C) is K[C] when k is set and R[C] otherwise, sC is C - 127.
 *
 * The list below is the only list of opcodes: CORO_OPCODES(X) expands X
 * once per opcode with (name, layout, what it does), and the enum, the
 * dispatch table of the loop, the disassembler's names and the tests are
 * all generated from it.  The coroutine operations (YIELD, YIELDFROM,
 * AWAIT, ASYNC) are ordinary opcodes of the same loop.
 *
 * Conditional tests (EQ, LT, ..., TEST) are always followed by a JMP: when
 * the test's outcome equals k the jump is taken, otherwise it is skipped.
 * The loop performs both in one dispatch.
 */
#ifndef CORO_OPCODES_H
#define CORO_OPCODES_H

#include <stdint.h>

typedef enum OpLayout {
    LAYOUT_ABC, LAYOUT_ABX, LAYOUT_ASBX, LAYOUT_AX, LAYOUT_SJ
} OpLayout;

#define CORO_OPCODES(X) \
    X(MOVE,       LAYOUT_ABC,  "R[A] := R[B]") \
    X(LOADI,      LAYOUT_ASBX, "R[A] := sBx") \
    X(LOADF,      LAYOUT_ASBX, "R[A] := (float)sBx") \
    X(LOADK,      LAYOUT_ABX,  "R[A] := K[Bx]") \
    X(LOADKX,     LAYOUT_ABC,  "R[A] := K[extra arg]") \
    X(LOADFALSE,  LAYOUT_ABC,  "R[A] := false") \
    X(LFALSESKIP, LAYOUT_ABC,  "R[A] := false; pc++") \
    X(LOADTRUE,   LAYOUT_ABC,  "R[A] := true") \
    X(LOADNIL,    LAYOUT_ABC,  "R[A], ..., R[A+B] := nil") \
    X(GETUPVAL,   LAYOUT_ABC,  "R[A] := U[B]") \
    X(SETUPVAL,   LAYOUT_ABC,  "U[B] := R[A]") \
    X(GETTABUP,   LAYOUT_ABC,  "R[A] := U[B][K[C]:short string]") \
    X(GETTABLE,   LAYOUT_ABC,  "R[A] := R[B][R[C]]") \
    X(GETI,       LAYOUT_ABC,  "R[A] := R[B][C]") \
    X(GETFIELD,   LAYOUT_ABC,  "R[A] := R[B][K[C]:short string]") \
    X(SETTABUP,   LAYOUT_ABC,  "U[A][K[B]:short string] := RK(C)") \
    X(SETTABLE,   LAYOUT_ABC,  "R[A][R[B]] := RK(C)") \
    X(SETI,       LAYOUT_ABC,  "R[A][B] := RK(C)") \
    X(SETFIELD,   LAYOUT_ABC,  "R[A][K[B]:short string] := RK(C)") \
    X(NEWTABLE,   LAYOUT_ABC,  "R[A] := {} with B-1 log2 hash, C (+EXTRAARG*256 if k) array") \
    X(SELF,       LAYOUT_ABC,  "R[A+1] := R[B]; R[A] := R[B][RK(C):string]") \
    X(ADDI,       LAYOUT_ABC,  "R[A] := R[B] + sC") \
    X(ADDK,       LAYOUT_ABC,  "R[A] := R[B] + K[C]:number") \
    X(SUBK,       LAYOUT_ABC,  "R[A] := R[B] - K[C]:number") \
    X(MULK,       LAYOUT_ABC,  "R[A] := R[B] * K[C]:number") \
    X(MODK,       LAYOUT_ABC,  "R[A] := R[B] % K[C]:number") \
    X(POWK,       LAYOUT_ABC,  "R[A] := R[B] ^ K[C]:number") \
    X(DIVK,       LAYOUT_ABC,  "R[A] := R[B] / K[C]:number") \
    X(IDIVK,      LAYOUT_ABC,  "R[A] := R[B] // K[C]:number") \
    X(BANDK,      LAYOUT_ABC,  "R[A] := R[B] & K[C]:integer") \
    X(BORK,       LAYOUT_ABC,  "R[A] := R[B] | K[C]:integer") \
    X(BXORK,      LAYOUT_ABC,  "R[A] := R[B] ~ K[C]:integer") \
    X(SHRI,       LAYOUT_ABC,  "R[A] := R[B] >> sC") \
    X(SHLI,       LAYOUT_ABC,  "R[A] := sC << R[B]") \
    X(ADD,        LAYOUT_ABC,  "R[A] := R[B] + R[C]") \
    X(SUB,        LAYOUT_ABC,  "R[A] := R[B] - R[C]") \
    X(MUL,        LAYOUT_ABC,  "R[A] := R[B] * R[C]") \
    X(MOD,        LAYOUT_ABC,  "R[A] := R[B] % R[C]") \
    X(POW,        LAYOUT_ABC,  "R[A] := R[B] ^ R[C]") \
    X(DIV,        LAYOUT_ABC,  "R[A] := R[B] / R[C]") \
    X(IDIV,       LAYOUT_ABC,  "R[A] := R[B] // R[C]") \
    X(BAND,       LAYOUT_ABC,  "R[A] := R[B] & R[C]") \
    X(BOR,        LAYOUT_ABC,  "R[A] := R[B] | R[C]") \
    X(BXOR,       LAYOUT_ABC,  "R[A] := R[B] ~ R[C]") \
    X(SHL,        LAYOUT_ABC,  "R[A] := R[B] << R[C]") \
    X(SHR,        LAYOUT_ABC,  "R[A] := R[B] >> R[C]") \
    X(UNM,        LAYOUT_ABC,  "R[A] := -R[B]") \
    X(BNOT,       LAYOUT_ABC,  "R[A] := ~R[B]") \
    X(NOT,        LAYOUT_ABC,  "R[A] := not R[B]") \
    X(LEN,        LAYOUT_ABC,  "R[A] := #R[B]") \
    X(CONCAT,     LAYOUT_ABC,  "R[A] := R[A] .. ... .. R[A+B-1]") \
    X(CLOSE,      LAYOUT_ABC,  "close upvalues and to-be-closed variables >= R[A]") \
    X(TBC,        LAYOUT_ABC,  "mark R[A] to be closed") \
    X(JMP,        LAYOUT_SJ,   "pc += sJ") \
    X(EQ,         LAYOUT_ABC,  "if ((R[A] == R[B]) ~= k) then pc++") \
    X(LT,         LAYOUT_ABC,  "if ((R[A] <  R[B]) ~= k) then pc++") \
    X(LE,         LAYOUT_ABC,  "if ((R[A] <= R[B]) ~= k) then pc++") \
    X(EQK,        LAYOUT_ABC,  "if ((R[A] == K[B]) ~= k) then pc++") \
    X(EQI,        LAYOUT_ABC,  "if ((R[A] == sB) ~= k) then pc++ (C: sB is a float)") \
    X(LTI,        LAYOUT_ABC,  "if ((R[A] < sB) ~= k) then pc++") \
    X(LEI,        LAYOUT_ABC,  "if ((R[A] <= sB) ~= k) then pc++") \
    X(GTI,        LAYOUT_ABC,  "if ((R[A] > sB) ~= k) then pc++") \
    X(GEI,        LAYOUT_ABC,  "if ((R[A] >= sB) ~= k) then pc++") \
    X(TEST,       LAYOUT_ABC,  "if (not R[A] == k) then pc++") \
    X(TESTSET,    LAYOUT_ABC,  "if (not R[B] == k) then pc++ else R[A] := R[B]") \
    X(CALL,       LAYOUT_ABC,  "R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1])") \
    X(TAILCALL,   LAYOUT_ABC,  "return R[A](R[A+1], ..., R[A+B-1])") \
    X(RETURN,     LAYOUT_ABC,  "return R[A], ..., R[A+B-2] (k: close first)") \
    X(RETURN0,    LAYOUT_ABC,  "return") \
    X(RETURN1,    LAYOUT_ABC,  "return R[A]") \
    X(FORLOOP,    LAYOUT_ABX,  "update counters; if loop continues then pc -= Bx") \
    X(FORPREP,    LAYOUT_ABX,  "check values and prepare counters; if not to run then pc += Bx + 1") \
    X(TFORPREP,   LAYOUT_ABX,  "mark R[A+3] to be closed; pc += Bx") \
    X(TFORCALL,   LAYOUT_ABC,  "R[A+4], ..., R[A+3+C] := R[A](R[A+1], R[A+2]) (or resume R[A])") \
    X(TFORLOOP,   LAYOUT_ABX,  "if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }") \
    X(SETLIST,    LAYOUT_ABC,  "R[A][C+i] := R[A+i], 1 <= i <= B") \
    X(CLOSURE,    LAYOUT_ABX,  "R[A] := closure(KPROTO[Bx])") \
    X(VARARG,     LAYOUT_ABC,  "R[A], ..., R[A+C-2] := vararg") \
    X(VARARGPREP, LAYOUT_ABC,  "adjust vararg parameters (A: fixed parameters)") \
    X(EXTRAARG,   LAYOUT_AX,   "extra (larger) argument for the previous opcode") \
    X(YIELD,      LAYOUT_ABC,  "R[A], ..., R[A+C-2] := yield R[A], ..., R[A+B-2]") \
    X(YIELDFROM,  LAYOUT_ABC,  "R[A], ..., R[A+C-2] := yield from R[A]") \
    X(AWAIT,      LAYOUT_ABC,  "R[A], ..., R[A+C-2] := await R[A]") \
    X(ASYNC,      LAYOUT_ABC,  "return a new coroutine that will run this call's body")

typedef enum OpCode {
#define X(name, layout, doc) OP_##name,
    CORO_OPCODES(X)
#undef X
    OP_COUNT
} OpCode;

extern const char *const coro_opcode_names[OP_COUNT];
extern const uint8_t coro_opcode_layouts[OP_COUNT];
extern const char *const coro_opcode_docs[OP_COUNT];

/* ---- field sizes and positions ---- */

#define SIZE_OP     7
#define SIZE_A      8
#define SIZE_B      8
#define SIZE_C      8
#define SIZE_BX     17
#define SIZE_AX     25

#define POS_OP      0
#define POS_A       7
#define POS_K       15
#define POS_B       16
#define POS_C       24
#define POS_BX      15

#define MAX_ARG_A   255
#define MAX_ARG_B   255
#define MAX_ARG_C   255
#define MAX_ARG_BX  ((1 << SIZE_BX) - 1)
#define MAX_ARG_AX  ((1 << SIZE_AX) - 1)
#define OFFSET_SBX  (MAX_ARG_BX >> 1)
#define OFFSET_SJ   (MAX_ARG_AX >> 1)
#define OFFSET_SC   (MAX_ARG_C >> 1)

#define GET_OP(i)   ((OpCode)((i) & 0x7F))
#define GET_A(i)    ((int)(((i) >> POS_A) & 0xFF))
#define GET_B(i)    ((int)(((i) >> POS_B) & 0xFF))
#define GET_C(i)    ((int)((i) >> POS_C))
#define GET_K(i)    ((int)(((i) >> POS_K) & 1))
#define GET_BX(i)   ((int)((i) >> POS_BX))
#define GET_SBX(i)  (GET_BX(i) - OFFSET_SBX)
#define GET_AX(i)   ((int)((i) >> POS_A))
#define GET_SJ(i)   (GET_AX(i) - OFFSET_SJ)
#define GET_SB(i)   (GET_B(i) - OFFSET_SC)
#define GET_SC(i)   (GET_C(i) - OFFSET_SC)

#define MAKE_ABCK(op, a, b, c, k) \
    ((uint32_t)(op) | ((uint32_t)(a) << POS_A) | ((uint32_t)(k) << POS_K) | \
     ((uint32_t)(b) << POS_B) | ((uint32_t)(c) << POS_C))
#define MAKE_ABX(op, a, bx) \
    ((uint32_t)(op) | ((uint32_t)(a) << POS_A) | ((uint32_t)(bx) << POS_BX))
#define MAKE_AX(op, ax)     ((uint32_t)(op) | ((uint32_t)(ax) << POS_A))

#define SET_A(i, a)   ((i) = ((i) & ~(0xFFu << POS_A)) | ((uint32_t)(a) << POS_A))
#define SET_B(i, b)   ((i) = ((i) & ~(0xFFu << POS_B)) | ((uint32_t)(b) << POS_B))
#define SET_C(i, c)   ((i) = ((i) & ~(0xFFu << POS_C)) | ((uint32_t)(c) << POS_C))
#define SET_K(i, k)   ((i) = ((i) & ~(1u << POS_K)) | ((uint32_t)(k) << POS_K))
#define SET_BX(i, bx) ((i) = ((i) & ((1u << POS_BX) - 1)) | ((uint32_t)(bx) << POS_BX))
#define SET_SJ(i, j)  ((i) = ((i) & 0x7Fu) | ((uint32_t)((j) + OFFSET_SJ) << POS_A))

/* Register count limit of one function (A is 8 bits). */
#define MAX_REGISTERS 250

/* SETLIST flushes every this many list items. */
#define FIELDS_PER_FLUSH 50

#endif
