/* Misc family: getrandom, prctl, arch_prctl, uname, set_tid_address,
 * set_robust_list, sched_getaffinity, sched_yield, memfd_create,
 * pidfd_open, dup/dup2/dup3, pipe2, eventfd2, inotify_init1/add_watch,
 * io_uring_setup, sysinfo (bad pointer only: its values change), sysfs
 * (strace 6.1 prints it raw), and calls that fail before doing anything:
 * quotactl/quotactl_fd (missing device, bad fd), kexec_load/kexec_file_load
 * (too many segments, unknown arch or flags, fd -1; never a real image nor
 * the flags that unload one) and the removed _sysctl. */
#include "expect.h"
#include <asm/prctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/quota.h>
#include <linux/dqblk_xfs.h>
#include <linux/kexec.h>

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

    /* sysfs: printed raw by strace 6.1, all three registers */
    char fsname[256];
    r = syscall(SYS_sysfs, 1, "proc", 0);
    expect("sysfs(0x1, %#lx, 0) = %s", (long)"proc", rv(r));
    r = syscall(SYS_sysfs, 1, BAD, 0);
    expect("sysfs(0x1, 0x1, 0) = %s", rv(r));
    r = syscall(SYS_sysfs, 2, 0, fsname);
    expect("sysfs(0x2, 0, %#lx) = %s", (long)fsname, rv(r));
    r = syscall(SYS_sysfs, 2, 0, BAD);
    expect("sysfs(0x2, 0, 0x1) = %s", rv(r));
    r = syscall(SYS_sysfs, 3, 0, 0);
    expect("sysfs(0x3, 0, 0) = %s", rv(r));
    r = syscall(SYS_sysfs, 4, 1, 2);
    expect("sysfs(0x4, 0x1, 0x2) = %s", rv(r));

    /* quotactl on a device that does not exist, quotactl_fd on a bad fd */
    struct if_dqblk dq = {.dqb_bhardlimit = 100, .dqb_bsoftlimit = 50, .dqb_curspace = 3,
                          .dqb_ihardlimit = 10, .dqb_isoftlimit = 5, .dqb_curinodes = 1,
                          .dqb_valid = QIF_LIMITS};
    struct if_dqinfo dqi = {.dqi_bgrace = 7, .dqi_igrace = 8, .dqi_flags = 1, .dqi_valid = IIF_ALL};
    unsigned qflags = 1;
    const char *nodev = "/nonexistent-dev";
    r = syscall(SYS_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), nodev, 1000, &dq);
    expect("quotactl(QCMD(Q_GETQUOTA, USRQUOTA), \"%s\", 1000, %#lx) = %s", nodev, (long)&dq, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_SETQUOTA, GRPQUOTA), nodev, -1, &dq);
    expect("quotactl(QCMD(Q_SETQUOTA, GRPQUOTA), \"%s\", -1, {dqb_bhardlimit=100, dqb_bsoftlimit=50, dqb_curspace=3, dqb_ihardlimit=10, dqb_isoftlimit=5, dqb_curinodes=1, ...}) = %s",
           nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_SETQUOTA, USRQUOTA), nodev, 0, BAD);
    expect("quotactl(QCMD(Q_SETQUOTA, USRQUOTA), \"%s\", 0, 0x1) = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_SETINFO, PRJQUOTA), nodev, 0, &dqi);
    expect("quotactl(QCMD(Q_SETINFO, PRJQUOTA), \"%s\", {dqi_bgrace=7, dqi_igrace=8, dqi_flags=DQF_ROOT_SQUASH, dqi_valid=IIF_BGRACE|IIF_IGRACE|IIF_FLAGS}) = %s",
           nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_GETINFO, USRQUOTA), nodev, 0, &dqi);
    expect("quotactl(QCMD(Q_GETINFO, USRQUOTA), \"%s\", %#lx) = %s", nodev, (long)&dqi, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_GETFMT, USRQUOTA), nodev, 0, &qflags);
    expect("quotactl(QCMD(Q_GETFMT, USRQUOTA), \"%s\", %#lx) = %s", nodev, (long)&qflags, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), nodev, QFMT_VFS_V1, "/quota.user");
    expect("quotactl(QCMD(Q_QUOTAON, USRQUOTA), \"%s\", QFMT_VFS_V1, \"/quota.user\") = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_QUOTAON, USRQUOTA), nodev, 9, NULL);
    expect("quotactl(QCMD(Q_QUOTAON, USRQUOTA), \"%s\", 0x9 /* QFMT_VFS_??? */, NULL) = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_QUOTAOFF, GRPQUOTA), nodev, 0, 0);
    expect("quotactl(QCMD(Q_QUOTAOFF, GRPQUOTA), \"%s\") = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA), BAD, 0, 0);
    expect("quotactl(QCMD(Q_SYNC, USRQUOTA), 0x1) = %s", rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_XQUOTARM, USRQUOTA), nodev, 0, &qflags);
    expect("quotactl(QCMD(Q_XQUOTARM, USRQUOTA), \"%s\", [FS_USER_QUOTA]) = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_XQUOTAOFF, USRQUOTA), nodev, 0, &qflags);
    expect("quotactl(QCMD(Q_XQUOTAOFF, USRQUOTA), \"%s\", [FS_QUOTA_UDQ_ACCT]) = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, QCMD(Q_XGETQUOTA, PRJQUOTA), nodev, 5, BAD);
    expect("quotactl(QCMD(Q_XGETQUOTA, PRJQUOTA), \"%s\", 5, 0x1) = %s", nodev, rv(r));
    r = syscall(SYS_quotactl, 0x12345678, nodev, 5, &dq);
    expect("quotactl(QCMD(0x123456 /* Q_??? */, 0x78 /* ???QUOTA */), \"%s\", 5, %#lx) = %s", nodev, (long)&dq, rv(r));
    r = syscall(SYS_quotactl_fd, -1, QCMD(Q_GETQUOTA, USRQUOTA), 1000, &dq);
    expect("quotactl_fd(-1, QCMD(Q_GETQUOTA, USRQUOTA), 1000, %#lx) = %s", (long)&dq, rv(r));
    r = syscall(SYS_quotactl_fd, 12345, QCMD(Q_SETINFO, USRQUOTA), 0, &dqi);
    expect("quotactl_fd(12345, QCMD(Q_SETINFO, USRQUOTA), {dqi_bgrace=7, dqi_igrace=8, dqi_flags=DQF_ROOT_SQUASH, dqi_valid=IIF_BGRACE|IIF_IGRACE|IIF_FLAGS}) = %s",
           rv(r));
    r = syscall(SYS_quotactl_fd, -1, QCMD(Q_SYNC, USRQUOTA), 0, 0);
    expect("quotactl_fd(-1, QCMD(Q_SYNC, USRQUOTA)) = %s", rv(r));
    r = syscall(SYS_quotactl_fd, -1, QCMD(Q_SETQUOTA, USRQUOTA), 0, BAD);
    expect("quotactl_fd(-1, QCMD(Q_SETQUOTA, USRQUOTA), 0, 0x1) = %s", rv(r));

    /* kexec: arguments the kernel refuses before it loads or unloads anything */
    struct kexec_segment seg[2] = {{(void *)0x1000, 10, (void *)0x100000, 4096},
                                   {NULL, 0, (void *)0x200000, 8192}};
    r = syscall(SYS_kexec_load, 0, 1000000, NULL, 0);
    expect("kexec_load(NULL, 1000000, NULL, KEXEC_ARCH_DEFAULT) = %s", rv(r));
    r = syscall(SYS_kexec_load, 0x1000, 2, seg, 0x12340000);
    expect("kexec_load(0x1000, 2, [{buf=0x1000, bufsz=10, mem=0x100000, memsz=4096}, {buf=NULL, bufsz=0, mem=0x200000, memsz=8192}], 0x12340000 /* KEXEC_ARCH_??? */) = %s",
           rv(r));
    r = syscall(SYS_kexec_load, 0x1000, 2, BAD, KEXEC_ARCH_X86_64 | 0x100);
    expect("kexec_load(0x1000, 2, 0x1, KEXEC_ARCH_X86_64|0x100 /* KEXEC_??? */) = %s", rv(r));
    r = syscall(SYS_kexec_load, 0x1000, 17, seg, KEXEC_ARCH_DEFAULT | KEXEC_PRESERVE_CONTEXT | 0x100);
    expect("kexec_load(0x1000, 17, %#lx, KEXEC_ARCH_DEFAULT|KEXEC_PRESERVE_CONTEXT|0x100) = %s", (long)seg, rv(r));
    r = syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0);
    expect("kexec_file_load(-1, -1, 0, NULL, 0) = %s", rv(r));
    char cmdline[5] = "abc";
    r = syscall(SYS_kexec_file_load, -1, -1, 5, cmdline, KEXEC_FILE_NO_INITRAMFS);
    expect("kexec_file_load(-1, -1, 5, \"abc\\0\\0\", KEXEC_FILE_NO_INITRAMFS) = %s", rv(r));
    r = syscall(SYS_kexec_file_load, -1, -1, 4, BAD, 0x80);
    expect("kexec_file_load(-1, -1, 4, 0x1, 0x80 /* KEXEC_FILE_??? */) = %s", rv(r));

    /* _sysctl: gone from the kernel, its argument struct is still shown */
    int sname[2] = {1, 1};
    char sold[64];
    size_t soldlen = sizeof sold;
    struct {
        int *name;
        int nlen;
        void *oldval;
        size_t *oldlenp;
        void *newval;
        size_t newlen;
        unsigned long unused[4];
    } sargs = {sname, 2, sold, &soldlen, NULL, 0, {0}};
    r = syscall(SYS__sysctl, &sargs);
    expect("_sysctl({name=%p, nlen=2, oldval=%p, oldlenp=%p, newval=NULL, newlen=0}) = %s", (void *)sname,
           (void *)sold, (void *)&soldlen, rv(r));
    r = syscall(SYS__sysctl, BAD);
    expect("_sysctl(0x1) = %s", rv(r));
    return selfcheck_end(argv[1]);
}
