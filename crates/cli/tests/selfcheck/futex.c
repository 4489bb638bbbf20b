/* Futex family: FUTEX_WAKE, FUTEX_WAIT with a mismatched value (EAGAIN),
 * a bad address (EFAULT), a zero timeout (ETIMEDOUT), bitsets, requeue,
 * wake_op and unknown operations. */
#include "expect.h"
#include <linux/futex.h>
#include <limits.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    static unsigned word, other;
    void *none = noaccess_page();
    struct timespec zero = {0, 0};
    long w = (long)&word, o = (long)&other;

    selfcheck_begin();

    r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1);
    expect("futex(%#lx, FUTEX_WAKE_PRIVATE, 1) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAKE, INT_MAX);
    expect("futex(%#lx, FUTEX_WAKE, 2147483647) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, NULL);
    expect("futex(%#lx, FUTEX_WAIT_PRIVATE, 5, NULL) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, &zero);
    expect("futex(%#lx, FUTEX_WAIT, 0, {tv_sec=0, tv_nsec=0}) = %s", w, rv(r));
    r = syscall(SYS_futex, BAD, FUTEX_WAIT, 0, NULL);
    expect("futex(0x1, FUTEX_WAIT, 0, NULL) = %s", rv(r));
    r = syscall(SYS_futex, none, FUTEX_WAIT_PRIVATE, 0, NULL);
    expect("futex(%#lx, FUTEX_WAIT_PRIVATE, 0, NULL) = %s", (long)none, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, BAD);
    expect("futex(%#lx, FUTEX_WAIT, 0, 0x1) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &zero, NULL, FUTEX_BITSET_MATCH_ANY);
    expect("futex(%#lx, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=0}, FUTEX_BITSET_MATCH_ANY) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x5);
    expect("futex(%#lx, FUTEX_WAKE_BITSET, 1, 0x5) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_REQUEUE_PRIVATE, 1, 2, &other);
    expect("futex(%#lx, FUTEX_REQUEUE_PRIVATE, 1, 2, %#lx) = %s", w, o, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 2, &other, 7);
    expect("futex(%#lx, FUTEX_CMP_REQUEUE, 1, 2, %#lx, 7) = %s", w, o, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &other, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0));
    expect("futex(%#lx, FUTEX_WAKE_OP_PRIVATE, 1, 1, %#lx, FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0) = %s", w, o, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAKE_OP, 1, 1, &other, (14u << 28) | (0xabc << 12) | (9 << 24) | 0x10);
    expect("futex(%#lx, FUTEX_WAKE_OP, 1, 1, %#lx, FUTEX_OP_OPARG_SHIFT<<28|0x6<<28 /* FUTEX_OP_??? */|0xabc<<12|0x9<<24 /* FUTEX_OP_CMP_??? */|0x10) = %s", w, o, rv(r));
    r = syscall(SYS_futex, &word, 99, 1, NULL, BAD, 0x30L);
    expect("futex(%#lx, 0x63 /* FUTEX_??? */, 1, NULL, 0x1, 0x30) = %s", w, rv(r));
    r = syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG | 0x400, 1);
    expect("futex(%#lx, 0x481 /* FUTEX_??? */, 1) = %s", w, rv(r));
    return selfcheck_end(argv[1]);
}
