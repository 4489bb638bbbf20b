/* Time family: clock_gettime, clock_getres, clock_nanosleep, nanosleep,
 * gettimeofday, timerfd_create/settime/gettime, adjtimex and clock_adjtime
 * (read-only: modes=0, never a change of the clock). Values that change
 * from run to run are printed from what the kernel wrote. */
#include "expect.h"
#include <sys/time.h>
#include <sys/timex.h>
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

/* A struct timex as strace shows it (modes is always 0 here). */
static const char *timex_str(const struct timex *t)
{
    static const char *const sta[] = {"STA_PLL", "STA_PPSFREQ", "STA_PPSTIME", "STA_FLL", "STA_INS",
                                      "STA_DEL", "STA_UNSYNC", "STA_FREQHOLD", "STA_PPSSIGNAL",
                                      "STA_PPSJITTER", "STA_PPSWANDER", "STA_PPSERROR", "STA_CLOCKERR",
                                      "STA_NANO", "STA_MODE", "STA_CLK"};
    static char b[1024];
    char status[256] = "";
    unsigned st = (unsigned)t->status;
    for (int i = 0; i < 16; i++)
        if (st & (1u << i))
            sprintf(status + strlen(status), "%s%s", status[0] ? "|" : "", sta[i]);
    if (st >> 16)
        sprintf(status + strlen(status), status[0] ? "|%#x" : "%#x /* STA_??? */", st & 0xffff0000u);
    if (!status[0])
        strcpy(status, "0");
    snprintf(b, sizeof b,
             "{modes=0, offset=%ld, freq=%ld, maxerror=%ld, esterror=%ld, status=%s, constant=%ld, "
             "precision=%ld, tolerance=%ld, time={tv_sec=%ld, tv_usec=%lu}, tick=%ld, ppsfreq=%ld, "
             "jitter=%ld, shift=%d, stabil=%ld, jitcnt=%ld, calcnt=%ld, errcnt=%ld, stbcnt=%ld, tai=%d}",
             t->offset, t->freq, t->maxerror, t->esterror, status, t->constant, t->precision,
             t->tolerance, (long)t->time.tv_sec, (unsigned long)t->time.tv_usec, t->tick, t->ppsfreq,
             t->jitter, t->shift, t->stabil, t->jitcnt, t->calcnt, t->errcnt, t->stbcnt, t->tai);
    return b;
}

/* adjtimex's return: the clock state's name after the number. */
static const char *state(long r)
{
    static const char *const names[] = {"TIME_OK", "TIME_INS", "TIME_DEL", "TIME_OOP", "TIME_WAIT", "TIME_ERROR"};
    static char b[64];
    if (r < 0 || r > 5)
        return rv(r);
    snprintf(b, sizeof b, "%ld (%s)", r, names[r]);
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

    /* adjtimex, clock_adjtime: only reads (modes=0) */
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    r = syscall(SYS_adjtimex, &tx);
    expect("adjtimex(%s) = %s", r < 0 ? "?" : timex_str(&tx), state(r));
    r = syscall(SYS_adjtimex, BAD);
    expect("adjtimex(0x1) = %s", rv(r));
    r = syscall(SYS_adjtimex, NULL);
    expect("adjtimex(NULL) = %s", rv(r));
    memset(&tx, 0, sizeof tx);
    r = syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
    expect("clock_adjtime(CLOCK_REALTIME, %s) = %s", r < 0 ? "?" : timex_str(&tx), state(r));
    memset(&tx, 0, sizeof tx);
    r = syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx);
    expect("clock_adjtime(CLOCK_MONOTONIC, 0x%lx) = %s", (long)&tx, rv(r));
    r = syscall(SYS_clock_adjtime, 99, &tx);
    expect("clock_adjtime(0x63 /* CLOCK_??? */, 0x%lx) = %s", (long)&tx, rv(r));
    r = syscall(SYS_clock_adjtime, CLOCK_REALTIME, BAD);
    expect("clock_adjtime(CLOCK_REALTIME, 0x1) = %s", rv(r));
    return selfcheck_end(argv[1]);
}
