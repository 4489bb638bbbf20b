/* Time family: clock_gettime, clock_getres, clock_nanosleep, nanosleep,
 * gettimeofday, timerfd_create/settime/gettime. Values that change from
 * run to run are printed from what the kernel wrote. */
#include "expect.h"
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>

static const char *ts(const struct timespec *t)
{
    static char bufs[4][64];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "{tv_sec=%ld, tv_nsec=%ld}", (long)t->tv_sec, (long)t->tv_nsec);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    struct timespec t;

    selfcheck_begin();

    r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
    expect("clock_gettime(CLOCK_MONOTONIC, %s) = %s", ts(&t), rv(r));
    r = syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &t);
    expect("clock_gettime(CLOCK_BOOTTIME, %s) = %s", ts(&t), rv(r));
    r = syscall(SYS_clock_gettime, 99, &t);
    expect("clock_gettime(0x63 /* CLOCK_??? */, 0x%lx) = %s", (long)&t, rv(r));
    r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD);
    expect("clock_gettime(CLOCK_MONOTONIC, 0x1) = %s", rv(r));
    r = syscall(SYS_clock_gettime, -2, &t);
    expect("clock_gettime(0xfffffffe /* CLOCK_??? */, %s) = %s", ts(&t), rv(r));
    r = syscall(SYS_clock_getres, CLOCK_REALTIME, &t);
    expect("clock_getres(CLOCK_REALTIME, %s) = %s", ts(&t), rv(r));
    r = syscall(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, NULL);
    expect("clock_getres(CLOCK_MONOTONIC_COARSE, NULL) = %s", rv(r));

    struct timespec zero = {0, 0}, bad = {0, 1000000000}, rem;
    r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &zero, NULL);
    expect("clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=0}, NULL) = %s", rv(r));
    r = syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &zero, &rem);
    expect("clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=0}, 0x%lx) = %s", (long)&rem, rv(r));
    r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, &rem);
    expect("clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000000}, 0x%lx) = %s", (long)&rem, rv(r));
    r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0x2, BAD, NULL);
    expect("clock_nanosleep(CLOCK_MONOTONIC, 0x2 /* TIMER_??? */, 0x1, NULL) = %s", rv(r));
    r = syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &zero, NULL);
    expect("clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, {tv_sec=0, tv_nsec=0}, NULL) = %s", rv(r));
    r = syscall(SYS_nanosleep, &zero, NULL);
    expect("nanosleep({tv_sec=0, tv_nsec=0}, NULL) = %s", rv(r));
    r = syscall(SYS_nanosleep, &bad, &rem);
    expect("nanosleep({tv_sec=0, tv_nsec=1000000000}, 0x%lx) = %s", (long)&rem, rv(r));
    r = syscall(SYS_nanosleep, NULL, NULL);
    expect("nanosleep(NULL, NULL) = %s", rv(r));

    struct timeval tv;
    r = syscall(SYS_gettimeofday, &tv, NULL);
    expect("gettimeofday({tv_sec=%ld, tv_usec=%ld}, NULL) = %s", (long)tv.tv_sec, (long)tv.tv_usec, rv(r));
    r = syscall(SYS_gettimeofday, BAD, NULL);
    expect("gettimeofday(0x1, NULL) = %s", rv(r));

    long tfd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    expect("timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = %s", rv(tfd));
    r = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0x1);
    expect("timerfd_create(CLOCK_MONOTONIC, TFD_TIMER_ABSTIME) = %s", rv(r));
    r = syscall(SYS_timerfd_create, 99, 0);
    expect("timerfd_create(0x63 /* CLOCK_??? */, 0) = %s", rv(r));
    struct itimerspec its = {{0, 0}, {100, 0}}, old;
    r = syscall(SYS_timerfd_settime, tfd, 0, &its, NULL);
    expect("timerfd_settime(%ld, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, NULL) = %s", tfd, rv(r));
    struct itimerspec its2 = {{1, 500}, {200, 0}};
    r = syscall(SYS_timerfd_settime, tfd, 0, &its2, &old);
    expect("timerfd_settime(%ld, 0, {it_interval={tv_sec=1, tv_nsec=500}, it_value={tv_sec=200, tv_nsec=0}}, {it_interval=%s, it_value=%s}) = %s",
           tfd, ts(&old.it_interval), ts(&old.it_value), rv(r));
    r = syscall(SYS_timerfd_gettime, tfd, &old);
    expect("timerfd_gettime(%ld, {it_interval=%s, it_value=%s}) = %s", tfd, ts(&old.it_interval), ts(&old.it_value), rv(r));
    r = syscall(SYS_timerfd_settime, tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
    expect("timerfd_settime(%ld, TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, NULL) = %s", tfd, rv(r));
    r = syscall(SYS_timerfd_settime, tfd, 0x8, &its, NULL);
    expect("timerfd_settime(%ld, 0x8 /* TFD_??? */, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, NULL) = %s", tfd, rv(r));
    r = syscall(SYS_timerfd_settime, tfd, 0, BAD, NULL);
    expect("timerfd_settime(%ld, 0, 0x1, NULL) = %s", tfd, rv(r));
    r = syscall(SYS_timerfd_gettime, 12345, &old);
    expect("timerfd_gettime(12345, 0x%lx) = %s", (long)&old, rv(r));
    r = syscall(SYS_timerfd_gettime, tfd, BAD);
    expect("timerfd_gettime(%ld, 0x1) = %s", tfd, rv(r));
    return selfcheck_end(argv[1]);
}
