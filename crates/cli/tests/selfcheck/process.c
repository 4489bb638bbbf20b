/* Process family (traced with -f): fork, clone, clone3, exit and
 * exit_group in children, a child killed by a signal, wait4 and waitid
 * with status decoding, prlimit64, getrusage. SIGCHLD stays blocked so
 * that no signal lines interleave; the parent records the children's
 * lines itself (a child's memory is its own). */
#include "expect.h"
#include <linux/sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static const char *rlim(unsigned long long v)
{
    static char bufs[4][64];
    static int next;
    char *b = bufs[next++ % 4];
    if (v == (unsigned long long)RLIM_INFINITY)
        snprintf(b, sizeof bufs[0], "RLIM64_INFINITY");
    else if (v > 1024 && v % 1024 == 0)
        snprintf(b, sizeof bufs[0], "%llu*1024", v / 1024);
    else
        snprintf(b, sizeof bufs[0], "%llu", v);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    int me = getpid();
    unsigned uid = getuid();
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int status;

    selfcheck_begin();

    /* fork + exit_group(3) + wait4 */
    long c1 = syscall(SYS_fork);
    if (c1 == 0)
        syscall(SYS_exit_group, 3);
    expect("%d fork() = %ld", me, c1);
    expect("%ld exit_group(3) = ?", c1);
    expect("%ld +++ exited with 3 +++", c1);
    r = syscall(SYS_wait4, c1, &status, 0, NULL);
    expect("%d wait4(%ld, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = %s", me, c1, rv(r));

    /* clone(SIGCHLD) + exit(5) + waitid */
    long c2 = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
    if (c2 == 0)
        syscall(SYS_exit, 5);
    expect("%d clone(child_stack=NULL, flags=SIGCHLD) = %ld", me, c2);
    expect("%ld exit(5) = ?", c2);
    expect("%ld +++ exited with 5 +++", c2);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    r = syscall(SYS_waitid, P_PID, c2, &si, WEXITED, NULL);
    expect("%d waitid(P_PID, %ld, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%ld, si_uid=%u, si_status=5, si_utime=%ld, si_stime=%ld}, WEXITED, NULL) = %s",
           me, c2, c2, uid, (long)si.si_utime, (long)si.si_stime, rv(r));

    /* clone3 + a child killing itself with SIGTERM + wait4(-1) */
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    long c3 = syscall(SYS_clone3, &ca, sizeof ca);
    if (c3 == 0) {
        long self = syscall(SYS_getpid);
        syscall(SYS_kill, self, SIGTERM);
        syscall(SYS_exit_group, 9);
    }
    expect("%d clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88) = %ld", me, c3);
    expect("%ld getpid() = %ld", c3, c3);
    expect("%ld kill(%ld, SIGTERM) = 0", c3, c3);
    expect("%ld --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=%ld, si_uid=%u} ---", c3, c3, uid);
    expect("%ld +++ killed by SIGTERM +++", c3);
    r = syscall(SYS_wait4, -1, &status, __WALL, NULL);
    expect("%d wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], __WALL, NULL) = %s", me, rv(r));

    /* clone3 writing the child's pid to the parent: exit_group(0), wait4 with NULL status */
    int ptid = 0;
    memset(&ca, 0, sizeof ca);
    ca.flags = CLONE_PARENT_SETTID;
    ca.parent_tid = (unsigned long)&ptid;
    ca.exit_signal = SIGCHLD;
    long c4 = syscall(SYS_clone3, &ca, sizeof ca);
    if (c4 == 0)
        syscall(SYS_exit_group, 0);
    expect("%d clone3({flags=CLONE_PARENT_SETTID, parent_tid=%#lx, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {parent_tid=[%d]}, 88) = %ld",
           me, (long)&ptid, ptid, c4);
    expect("%ld exit_group(0) = ?", c4);
    expect("%ld +++ exited with 0 +++", c4);
    r = syscall(SYS_wait4, c4, NULL, 0, NULL);
    expect("%d wait4(%ld, NULL, 0, NULL) = %s", me, c4, rv(r));

    /* waits with nothing to wait for, bad pointers and odd options */
    r = syscall(SYS_wait4, -1, BAD, 0, NULL);
    expect("%d wait4(-1, 0x1, 0, NULL) = %s", me, rv(r));
    r = syscall(SYS_wait4, -1, &status, WNOHANG, NULL);
    expect("%d wait4(-1, 0x%lx, WNOHANG, NULL) = %s", me, (long)&status, rv(r));
    r = syscall(SYS_wait4, -1, &status, 0x10000000, NULL);
    expect("%d wait4(-1, 0x%lx, 0x10000000 /* W??? */, NULL) = %s", me, (long)&status, rv(r));
    r = syscall(SYS_waitid, 99, 0, &si, WEXITED, NULL);
    expect("%d waitid(0x63 /* P_??? */, 0, 0x%lx, WEXITED, NULL) = %s", me, (long)&si, rv(r));
    r = syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | WNOHANG, NULL);
    expect("%d waitid(P_ALL, 0, 0x%lx, WNOHANG|WEXITED, NULL) = %s", me, (long)&si, rv(r));
    r = syscall(SYS_clone3, BAD, 88);
    expect("%d clone3(0x1, 88) = %s", me, rv(r));
    r = syscall(SYS_clone3, &ca, 7);
    expect("%d clone3(0x%lx, 7) = %s", me, (long)&ca, rv(r));

    /* limits and usage */
    struct rlimit64 {
        unsigned long long cur, max;
    } old, nw;
    r = syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old);
    expect("%d prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=%s, rlim_max=%s}) = %s", me, rlim(old.cur), rlim(old.max), rv(r));
    r = syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &old);
    expect("%d prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=%s, rlim_max=%s}) = %s", me, rlim(old.cur), rlim(old.max), rv(r));
    r = syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &old);
    nw.cur = 0;
    nw.max = old.max;
    expect("%d prlimit64(0, RLIMIT_CORE, NULL, {rlim_cur=%s, rlim_max=%s}) = %s", me, rlim(old.cur), rlim(old.max), rv(r));
    r = syscall(SYS_prlimit64, me, RLIMIT_CORE, &nw, &old);
    expect("%d prlimit64(%d, RLIMIT_CORE, {rlim_cur=0, rlim_max=%s}, {rlim_cur=%s, rlim_max=%s}) = %s", me, me, rlim(nw.max), rlim(old.cur), rlim(old.max), rv(r));
    r = syscall(SYS_prlimit64, 0, 99, NULL, &old);
    expect("%d prlimit64(0, 0x63 /* RLIMIT_??? */, NULL, 0x%lx) = %s", me, (long)&old, rv(r));
    r = syscall(SYS_prlimit64, 99999999, RLIMIT_NOFILE, NULL, &old);
    expect("%d prlimit64(99999999, RLIMIT_NOFILE, NULL, 0x%lx) = %s", me, (long)&old, rv(r));
    r = syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, BAD, NULL);
    expect("%d prlimit64(0, RLIMIT_NOFILE, 0x1, NULL) = %s", me, rv(r));
    struct rusage ru;
    r = syscall(SYS_getrusage, RUSAGE_SELF, &ru);
    expect("%d getrusage(RUSAGE_SELF, {ru_utime={tv_sec=%ld, tv_usec=%ld}, ru_stime={tv_sec=%ld, tv_usec=%ld}, ...}) = %s", me,
           (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, rv(r));
    r = syscall(SYS_getrusage, 7, &ru);
    expect("%d getrusage(0x7 /* RUSAGE_??? */, 0x%lx) = %s", me, (long)&ru, rv(r));
    r = syscall(SYS_getrusage, RUSAGE_CHILDREN, BAD);
    expect("%d getrusage(RUSAGE_CHILDREN, 0x1) = %s", me, rv(r));
    return selfcheck_end(argv[1]);
}
