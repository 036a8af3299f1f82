/*
 * fuzz_run.c: libFuzzer harness (2), whole programs.
 *
 * The input is compiled and run as a chunk in the sandbox (sandbox.h),
 * under a 32 MiB memory limit and an instruction budget; tasks it spawned
 * are run to the end.  Any status but success or a clean error aborts, and
 * so does a VM that cannot run a small chunk afterwards.  Leaks show up
 * through LeakSanitizer when the VM is freed.
 */
#include <stdint.h>

#include "sandbox.h"

#define MEMORY_LIMIT (32u << 20)
#define BUDGET 300          /* hook firings: about 300,000 calls and loops */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzSandbox sb;
    coro_VM *vm = fuzz_sandbox_new(&sb, MEMORY_LIMIT, BUDGET);
    int status = coro_load(vm, (const char *)data, size, "=fuzz", "t");
    if (status == CORO_OK)
        status = coro_pcall_traceback(vm, 0, 0);
    fuzz_check_status(vm, status);
    coro_settop(vm, 0);
    if (coro_sched_tasks(vm) > 0) {
        fuzz_sandbox_rearm(vm, &sb);
        fuzz_check_status(vm, coro_sched_run(vm));
    }
    fuzz_check_alive(vm, &sb);
    coro_free(vm);
    return 0;
}
