/* Misc family: getrandom, prctl, arch_prctl, uname, set_tid_address,
 * set_robust_list, sched_getaffinity, sched_yield, memfd_create,
 * pidfd_open, dup/dup2/dup3, pipe2, eventfd2, inotify_init1/add_watch,
 * io_uring_setup, sysinfo (bad pointer only: its values change). */
#include "expect.h"
#include <asm/prctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

/* Bytes as strace shows getrandom's buffer: all in \x escapes. */
static const char *hexq(const unsigned char *s, size_t n, size_t limit)
{
    static char bufs[2][512];
    static int next;
    char *b = bufs[next++ % 2], *o = b;
    *o++ = '"';
    for (size_t i = 0; i < n && i < limit; i++)
        o += sprintf(o, "\\x%02x", s[i]);
    *o++ = '"';
    if (n > limit)
        o += sprintf(o, "...");
    *o = 0;
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    unsigned char buf[64];
    int pid = getpid();
    void *none = noaccess_page();

    selfcheck_begin();

    /* getrandom: the bytes are printed from what the kernel wrote */
    r = syscall(SYS_getrandom, buf, 0, 0);
    expect("getrandom(\"\", 0, 0) = %s", rv(r));
    r = syscall(SYS_getrandom, buf, 16, GRND_NONBLOCK);
    expect("getrandom(%s, 16, GRND_NONBLOCK) = %s", hexq(buf, 16, 32), rv(r));
    r = syscall(SYS_getrandom, buf, 40, 0);
    expect("getrandom(%s, 40, 0) = %s", hexq(buf, 40, 32), rv(r));
    r = syscall(SYS_getrandom, BAD, 8, GRND_RANDOM);
    expect("getrandom(0x1, 8, GRND_RANDOM) = %s", rv(r));
    r = syscall(SYS_getrandom, buf, 8, 0x40);
    expect("getrandom(0x%lx, 8, 0x40 /* GRND_??? */) = %s", (long)buf, rv(r));

    /* prctl */
    r = syscall(SYS_prctl, PR_SET_NAME, "selfcheck\1", 0, 0, 0);
    expect("prctl(PR_SET_NAME, \"selfcheck\\1\") = %s", rv(r));
    char name[16];
    r = syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
    expect("prctl(PR_GET_NAME, \"selfcheck\\1\") = %s", rv(r));
    r = syscall(SYS_prctl, PR_SET_NAME, BAD, 0, 0, 0);
    expect("prctl(PR_SET_NAME, 0x1) = %s", rv(r));
    r = syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
    expect("prctl(PR_GET_DUMPABLE) = %s", r == 1 ? "1 (SUID_DUMP_USER)" : rv(r));
    r = syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
    expect("prctl(PR_SET_PDEATHSIG, SIGUSR1) = %s", rv(r));
    int sig = -1;
    r = syscall(SYS_prctl, PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    expect("prctl(PR_GET_PDEATHSIG, [SIGUSR1]) = %s", rv(r));
    r = syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    expect("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = %s", rv(r));
    r = syscall(SYS_prctl, 9999, 1, 2, 3, 4);
    expect("prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = %s", rv(r));

    /* arch_prctl */
    unsigned long fs = 0;
    r = syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
    expect("arch_prctl(ARCH_GET_FS, [%#lx]) = %s", fs, rv(r));
    r = syscall(SYS_arch_prctl, ARCH_GET_FS, BAD);
    expect("arch_prctl(ARCH_GET_FS, 0x1) = %s", rv(r));
    r = syscall(SYS_arch_prctl, 0x9999, 0);
    expect("arch_prctl(0x9999 /* ARCH_??? */, 0) = %s", rv(r));

    /* uname, sysinfo */
    struct utsname u;
    r = syscall(SYS_uname, &u);
    expect("uname({sysname=\"%s\", nodename=\"%s\", ...}) = %s", u.sysname, u.nodename, rv(r));
    r = syscall(SYS_uname, none);
    expect("uname(0x%lx) = %s", (long)none, rv(r));
    r = syscall(SYS_sysinfo, BAD);
    expect("sysinfo(0x1) = %s", rv(r));

    /* thread setup */
    static int tid_word;
    r = syscall(SYS_set_tid_address, &tid_word);
    expect("set_tid_address(%#lx) = %s", (long)&tid_word, rv(r));
    static long robust[3];
    r = syscall(SYS_set_robust_list, robust, 24);
    expect("set_robust_list(%#lx, 24) = %s", (long)robust, rv(r));
    r = syscall(SYS_set_robust_list, robust, 23);
    expect("set_robust_list(%#lx, 23) = %s", (long)robust, rv(r));

    /* scheduler */
    cpu_set_t set;
    CPU_ZERO(&set);
    r = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
    {
        char cpus[512] = "", *p = cpus;
        for (int i = 0; i < (int)(r > 0 ? r * 8 : 0); i++)
            if (CPU_ISSET(i, &set))
                p += sprintf(p, "%s%d", p == cpus ? "" : " ", i);
        expect("sched_getaffinity(0, %zu, [%s]) = %s", sizeof set, cpus, rv(r));
    }
    r = syscall(SYS_sched_getaffinity, 0, 3, &set);
    expect("sched_getaffinity(0, 3, 0x%lx) = %s", (long)&set, rv(r));
    r = syscall(SYS_sched_getaffinity, 99999999, sizeof set, &set);
    expect("sched_getaffinity(99999999, %zu, 0x%lx) = %s", sizeof set, (long)&set, rv(r));
    r = syscall(SYS_sched_yield);
    expect("sched_yield() = %s", rv(r));

    /* descriptors */
    long mfd = syscall(SYS_memfd_create, "selfcheck", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    expect("memfd_create(\"selfcheck\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = %s", rv(mfd));
    r = syscall(SYS_memfd_create, "x", 0x100);
    expect("memfd_create(\"x\", 0x100 /* MFD_??? */) = %s", rv(r));
    r = syscall(SYS_memfd_create, BAD, 0);
    expect("memfd_create(0x1, 0) = %s", rv(r));
    long pfd = syscall(SYS_pidfd_open, pid, 0);
    expect("pidfd_open(%d, 0) = %s", pid, rv(pfd));
    r = syscall(SYS_pidfd_open, pid, 1);
    expect("pidfd_open(%d, 0x1 /* PIDFD_??? */) = %s", pid, rv(r));
    r = syscall(SYS_dup, mfd);
    expect("dup(%ld) = %s", mfd, rv(r));
    r = syscall(SYS_dup, 12345);
    expect("dup(12345) = %s", rv(r));
    r = syscall(SYS_dup2, mfd, 100);
    expect("dup2(%ld, 100) = %s", mfd, rv(r));
    r = syscall(SYS_dup2, -1, 100);
    expect("dup2(-1, 100) = %s", rv(r));
    r = syscall(SYS_dup3, mfd, 101, O_CLOEXEC);
    expect("dup3(%ld, 101, O_CLOEXEC) = %s", mfd, rv(r));
    r = syscall(SYS_dup3, mfd, 101, O_NONBLOCK);
    expect("dup3(%ld, 101, O_NONBLOCK) = %s", mfd, rv(r));
    r = syscall(SYS_dup3, mfd, mfd, 0);
    expect("dup3(%ld, %ld, 0) = %s", mfd, mfd, rv(r));
    int fds[2];
    r = syscall(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK);
    expect("pipe2([%d, %d], O_NONBLOCK|O_CLOEXEC) = %s", fds[0], fds[1], rv(r));
    r = syscall(SYS_pipe2, BAD, 0);
    expect("pipe2(0x1, 0) = %s", rv(r));
    r = syscall(SYS_pipe2, fds, O_APPEND);
    expect("pipe2(0x%lx, O_APPEND) = %s", (long)fds, rv(r));
    r = syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK);
    expect("eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = %s", rv(r));
    r = syscall(SYS_eventfd2, 5, EFD_SEMAPHORE | 0x4);
    expect("eventfd2(5, EFD_SEMAPHORE|0x4) = %s", rv(r));
    long ino = syscall(SYS_inotify_init1, IN_CLOEXEC);
    expect("inotify_init1(IN_CLOEXEC) = %s", rv(ino));
    r = syscall(SYS_inotify_init1, 0x1);
    expect("inotify_init1(0x1 /* IN_??? */) = %s", rv(r));
    r = syscall(SYS_inotify_add_watch, ino, ".", IN_MODIFY | IN_CREATE | IN_ONLYDIR);
    expect("inotify_add_watch(%ld, \".\", IN_MODIFY|IN_CREATE|IN_ONLYDIR) = %s", ino, rv(r));
    r = syscall(SYS_inotify_add_watch, ino, "missing", IN_ALL_EVENTS);
    expect("inotify_add_watch(%ld, \"missing\", IN_ACCESS|IN_MODIFY|IN_ATTRIB|IN_CLOSE_WRITE|IN_CLOSE_NOWRITE|IN_OPEN|IN_MOVED_FROM|IN_MOVED_TO|IN_CREATE|IN_DELETE|IN_DELETE_SELF|IN_MOVE_SELF) = %s", ino, rv(r));
    r = syscall(SYS_inotify_add_watch, ino, BAD, IN_ACCESS);
    expect("inotify_add_watch(%ld, 0x1, IN_ACCESS) = %s", ino, rv(r));
    r = syscall(SYS_io_uring_setup, 8, BAD);
    expect("io_uring_setup(8, 0x1) = %s", rv(r));
    return selfcheck_end(argv[1]);
}
