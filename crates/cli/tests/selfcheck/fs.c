/* File and stat family: open, stat, access, links, directories, modes,
 * owners, renames, times, fcntl, ioctl, lseek. */
#include "expect.h"
#include <dirent.h>
#include <linux/openat2.h>
#include <linux/stat.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

/* A statx mask as strace 6.1 prints it: STATX_ALL or STATX_BASIC_STATS
 * when all their bits are there, then single bits, then the rest in hex. */
static const char *statx_mask(unsigned m)
{
    static const char *names[] = {"TYPE", "MODE", "NLINK", "UID", "GID", "ATIME", "MTIME",
                                  "CTIME", "INO", "SIZE", "BLOCKS", "BTIME", "MNT_ID", "DIOALIGN"};
    static char b[512];
    b[0] = 0;
    if ((m & 0xfff) == 0xfff) {
        strcat(b, "|STATX_ALL");
        m &= ~0xfffu;
    } else if ((m & 0x7ff) == 0x7ff) {
        strcat(b, "|STATX_BASIC_STATS");
        m &= ~0x7ffu;
    }
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (m & (1u << i)) {
            strcat(b, "|STATX_");
            strcat(b, names[i]);
            m &= ~(1u << i);
        }
    if (m)
        snprintf(b + strlen(b), sizeof b - strlen(b), "|%#x", m);
    return b[0] ? b + 1 : "0";
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    umask(0);
    uid_t uid = getuid();
    gid_t gid = getgid();
    void *none = noaccess_page();
    char buf[256];
    struct stat st;
    struct statx stx;
    long r;
    int devnull = open("/dev/null", O_RDONLY);
    int pfd[2];
    if (pipe(pfd))
        return 2;
    const char *longname = "a-file-name-longer-than-thirty-two-bytes-to-see-no-truncation";

    selfcheck_begin();

    /* openat */
    long fd = syscall(SYS_openat, AT_FDCWD, "f1", O_RDWR | O_CREAT | O_TRUNC, 0640);
    expect("openat(AT_FDCWD, \"f1\", O_RDWR|O_CREAT|O_TRUNC, 0640) = %s", rv(fd));
    r = syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY);
    expect("openat(AT_FDCWD, 0x1, O_RDONLY) = %s", rv(r));
    r = syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY);
    expect("openat(AT_FDCWD, NULL, O_RDONLY) = %s", rv(r));
    r = syscall(SYS_openat, AT_FDCWD, none, O_RDONLY);
    expect("openat(AT_FDCWD, 0x%lx, O_RDONLY) = %s", (long)none, rv(r));
    long fd2 = syscall(SYS_openat, AT_FDCWD, "f1", O_RDONLY | 0x40000000);
    expect("openat(AT_FDCWD, \"f1\", O_RDONLY|0x40000000) = %s", rv(fd2));
    r = syscall(SYS_openat, AT_FDCWD, "no\1such\nfile\377", O_WRONLY | O_APPEND | O_CLOEXEC | O_NONBLOCK);
    expect("openat(AT_FDCWD, \"no\\1such\\nfile\\377\", O_WRONLY|O_APPEND|O_NONBLOCK|O_CLOEXEC) = %s", rv(r));
    r = syscall(SYS_openat, AT_FDCWD, longname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    expect("openat(AT_FDCWD, \"%s\", O_RDONLY|O_NOFOLLOW|O_DIRECTORY) = %s", longname, rv(r));
    r = syscall(SYS_openat, 12345, "f1", O_RDONLY);
    expect("openat(12345, \"f1\", O_RDONLY) = %s", rv(r));
    r = syscall(SYS_openat, -1, "f1", O_RDONLY);
    expect("openat(-1, \"f1\", O_RDONLY) = %s", rv(r));
    r = syscall(SYS_openat, AT_FDCWD, "f9", O_WRONLY | O_CREAT | O_EXCL, 04755);
    expect("openat(AT_FDCWD, \"f9\", O_WRONLY|O_CREAT|O_EXCL, 04755) = %s", rv(r));
    if (r >= 0) {
        long c = syscall(SYS_close, r);
        expect("close(%ld) = %s", r, rv(c));
    }

    /* openat2 */
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH};
    long fd3 = syscall(SYS_openat2, AT_FDCWD, "f1", &how, sizeof how);
    expect("openat2(AT_FDCWD, \"f1\", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = %s", rv(fd3));
    struct open_how how2 = {.flags = O_RDWR | O_CREAT, .mode = 0600};
    r = syscall(SYS_openat2, AT_FDCWD, "f2", &how2, sizeof how2);
    expect("openat2(AT_FDCWD, \"f2\", {flags=O_RDWR|O_CREAT, mode=0600, resolve=0}, 24) = %s", rv(r));
    if (r >= 0) {
        long c = syscall(SYS_close, r);
        expect("close(%ld) = %s", r, rv(c));
    }
    r = syscall(SYS_openat2, AT_FDCWD, "f1", BAD, sizeof how);
    expect("openat2(AT_FDCWD, \"f1\", 0x1, 24) = %s", rv(r));
    struct open_how how3 = {.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT | 0x80};
    r = syscall(SYS_openat2, AT_FDCWD, "f1", &how3, sizeof how3);
    expect("openat2(AT_FDCWD, \"f1\", {flags=O_RDONLY, resolve=RESOLVE_IN_ROOT|0x80}, 24) = %s", rv(r));
    r = syscall(SYS_openat2, AT_FDCWD, "f1", &how, 7);
    expect("openat2(AT_FDCWD, \"f1\", 0x%lx, 7) = %s", (long)&how, rv(r));

    /* write something, then stat */
    r = syscall(SYS_write, fd, "hello", 5);
    expect("write(%ld, \"hello\", 5) = %s", fd, rv(r));
    r = syscall(SYS_fstat, fd, &st);
    expect("fstat(%ld, {st_mode=S_IFREG|0640, st_size=5, ...}) = %s", fd, rv(r));
    r = syscall(SYS_fstat, 12345, &st);
    expect("fstat(12345, 0x%lx) = %s", (long)&st, rv(r));
    r = syscall(SYS_fstat, fd, BAD);
    expect("fstat(%ld, 0x1) = %s", fd, rv(r));
    r = syscall(SYS_newfstatat, AT_FDCWD, "f1", &st, 0);
    expect("newfstatat(AT_FDCWD, \"f1\", {st_mode=S_IFREG|0640, st_size=5, ...}, 0) = %s", rv(r));
    r = syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH);
    expect("newfstatat(%ld, \"\", {st_mode=S_IFREG|0640, st_size=5, ...}, AT_EMPTY_PATH) = %s", fd, rv(r));
    r = syscall(SYS_newfstatat, AT_FDCWD, "missing", &st, AT_SYMLINK_NOFOLLOW);
    expect("newfstatat(AT_FDCWD, \"missing\", 0x%lx, AT_SYMLINK_NOFOLLOW) = %s", (long)&st, rv(r));
    r = syscall(SYS_newfstatat, AT_FDCWD, "f1", none, 0);
    expect("newfstatat(AT_FDCWD, \"f1\", 0x%lx, 0) = %s", (long)none, rv(r));
    r = syscall(SYS_newfstatat, AT_FDCWD, "f1", &st, 0x4000);
    expect("newfstatat(AT_FDCWD, \"f1\", {st_mode=S_IFREG|0640, st_size=5, ...}, 0x4000 /* AT_??? */) = %s", rv(r));

    /* statx */
    memset(&stx, 0, sizeof stx);
    r = syscall(SYS_statx, AT_FDCWD, "f1", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx);
    expect("statx(AT_FDCWD, \"f1\", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, {stx_mask=%s, stx_attributes=%#llx, stx_mode=S_IFREG|0640, stx_size=5, ...}) = %s",
           statx_mask(stx.stx_mask), (unsigned long long)stx.stx_attributes, rv(r));
    memset(&stx, 0, sizeof stx);
    r = syscall(SYS_statx, fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_BASIC_STATS | 0x2000 | 0xc000, &stx);
    expect("statx(%ld, \"\", AT_STATX_DONT_SYNC|AT_EMPTY_PATH, STATX_BASIC_STATS|STATX_DIOALIGN|0xc000, {stx_mask=%s, stx_attributes=%#llx, stx_mode=S_IFREG|0640, stx_size=5, ...}) = %s",
           fd, statx_mask(stx.stx_mask), (unsigned long long)stx.stx_attributes, rv(r));
    r = syscall(SYS_statx, AT_FDCWD, "f1", AT_SYMLINK_NOFOLLOW | AT_STATX_FORCE_SYNC, STATX_TYPE | STATX_SIZE, BAD);
    expect("statx(AT_FDCWD, \"f1\", AT_STATX_FORCE_SYNC|AT_SYMLINK_NOFOLLOW, STATX_TYPE|STATX_SIZE, 0x1) = %s", rv(r));
    r = syscall(SYS_statx, AT_FDCWD, "f1", 0x40000, 0x80000000u, &stx);
    expect("statx(AT_FDCWD, \"f1\", AT_STATX_SYNC_AS_STAT|0x40000, 0x80000000 /* STATX_??? */, 0x%lx) = %s", (long)&stx, rv(r));

    /* faccessat2 */
    r = syscall(SYS_faccessat2, AT_FDCWD, "f1", R_OK | W_OK, AT_EACCESS);
    expect("faccessat2(AT_FDCWD, \"f1\", R_OK|W_OK, AT_EACCESS) = %s", rv(r));
    r = syscall(SYS_faccessat2, AT_FDCWD, "f1", F_OK, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
    expect("faccessat2(AT_FDCWD, \"f1\", F_OK, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = %s", rv(r));
    r = syscall(SYS_faccessat2, AT_FDCWD, "f1", 0x10, 0);
    expect("faccessat2(AT_FDCWD, \"f1\", 0x10 /* ?_OK */, 0) = %s", rv(r));
    r = syscall(SYS_faccessat2, AT_FDCWD, "f1", X_OK, 0x8000);
    expect("faccessat2(AT_FDCWD, \"f1\", X_OK, 0x8000 /* AT_??? */) = %s", rv(r));

    /* symlinks */
    r = syscall(SYS_symlinkat, "f1", AT_FDCWD, "l1");
    expect("symlinkat(\"f1\", AT_FDCWD, \"l1\") = %s", rv(r));
    r = syscall(SYS_symlinkat, longname, AT_FDCWD, "l2");
    expect("symlinkat(\"%s\", AT_FDCWD, \"l2\") = %s", longname, rv(r));
    r = syscall(SYS_readlinkat, AT_FDCWD, "l1", buf, sizeof buf);
    expect("readlinkat(AT_FDCWD, \"l1\", \"f1\", 256) = %s", rv(r));
    r = syscall(SYS_readlinkat, AT_FDCWD, "l1", buf, 1);
    expect("readlinkat(AT_FDCWD, \"l1\", \"f\", 1) = %s", rv(r));
    r = syscall(SYS_readlinkat, AT_FDCWD, "l2", buf, sizeof buf);
    expect("readlinkat(AT_FDCWD, \"l2\", \"%.32s\"..., 256) = %s", longname, rv(r));
    r = syscall(SYS_readlinkat, AT_FDCWD, "l1", BAD, sizeof buf);
    expect("readlinkat(AT_FDCWD, \"l1\", 0x1, 256) = %s", rv(r));
    r = syscall(SYS_readlinkat, AT_FDCWD, "f1", buf, sizeof buf);
    expect("readlinkat(AT_FDCWD, \"f1\", 0x%lx, 256) = %s", (long)buf, rv(r));

    /* directories */
    r = syscall(SYS_mkdirat, AT_FDCWD, "d1", 0755);
    expect("mkdirat(AT_FDCWD, \"d1\", 0755) = %s", rv(r));
    r = syscall(SYS_mkdirat, AT_FDCWD, "d1", 01777);
    expect("mkdirat(AT_FDCWD, \"d1\", 01777) = %s", rv(r));
    r = syscall(SYS_mkdirat, AT_FDCWD, BAD, 0700);
    expect("mkdirat(AT_FDCWD, 0x1, 0700) = %s", rv(r));
    long dfd = syscall(SYS_openat, AT_FDCWD, ".", O_RDONLY | O_DIRECTORY);
    expect("openat(AT_FDCWD, \".\", O_RDONLY|O_DIRECTORY) = %s", rv(dfd));
    char dents[4096];
    r = syscall(SYS_getdents64, dfd, dents, sizeof dents);
    int n = 0;
    for (long off = 0; off < r; off += ((struct dirent64 *)(dents + off))->d_reclen)
        n++;
    expect("getdents64(%ld, 0x%lx /* %d entries */, 4096) = %s", dfd, (long)dents, n, rv(r));
    r = syscall(SYS_getdents64, dfd, dents, sizeof dents);
    expect("getdents64(%ld, 0x%lx /* 0 entries */, 4096) = %s", dfd, (long)dents, rv(r));
    r = syscall(SYS_getdents64, fd, dents, sizeof dents);
    expect("getdents64(%ld, 0x%lx, 4096) = %s", fd, (long)dents, rv(r));
    r = syscall(SYS_getdents64, 12345, BAD, 10);
    expect("getdents64(12345, 0x1, 10) = %s", rv(r));

    /* modes and owners */
    r = syscall(SYS_fchmodat, AT_FDCWD, "f1", 0600);
    expect("fchmodat(AT_FDCWD, \"f1\", 0600) = %s", rv(r));
    r = syscall(SYS_fchmodat, AT_FDCWD, "f1", 07777);
    expect("fchmodat(AT_FDCWD, \"f1\", 07777) = %s", rv(r));
    r = syscall(SYS_fchmodat, dfd, "missing", 0644);
    expect("fchmodat(%ld, \"missing\", 0644) = %s", dfd, rv(r));
    r = syscall(SYS_fchownat, AT_FDCWD, "f1", -1, -1, 0);
    expect("fchownat(AT_FDCWD, \"f1\", -1, -1, 0) = %s", rv(r));
    r = syscall(SYS_fchownat, AT_FDCWD, "l1", uid, gid, AT_SYMLINK_NOFOLLOW);
    expect("fchownat(AT_FDCWD, \"l1\", %u, %u, AT_SYMLINK_NOFOLLOW) = %s", uid, gid, rv(r));
    r = syscall(SYS_fchownat, AT_FDCWD, "f1", uid, gid, 0x1);
    expect("fchownat(AT_FDCWD, \"f1\", %u, %u, 0x1 /* AT_??? */) = %s", uid, gid, rv(r));

    /* renames and unlinks */
    r = syscall(SYS_renameat2, AT_FDCWD, "f2", AT_FDCWD, "f3", RENAME_NOREPLACE);
    expect("renameat2(AT_FDCWD, \"f2\", AT_FDCWD, \"f3\", RENAME_NOREPLACE) = %s", rv(r));
    r = syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "f1", RENAME_NOREPLACE);
    expect("renameat2(AT_FDCWD, \"f3\", AT_FDCWD, \"f1\", RENAME_NOREPLACE) = %s", rv(r));
    r = syscall(SYS_renameat2, AT_FDCWD, "f3", dfd, "f1", RENAME_EXCHANGE);
    expect("renameat2(AT_FDCWD, \"f3\", %ld, \"f1\", RENAME_EXCHANGE) = %s", dfd, rv(r));
    r = syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, "f4", 0x10);
    expect("renameat2(AT_FDCWD, \"f3\", AT_FDCWD, \"f4\", 0x10 /* RENAME_?? */) = %s", rv(r));
    r = syscall(SYS_renameat2, AT_FDCWD, "f3", AT_FDCWD, BAD, 0);
    expect("renameat2(AT_FDCWD, \"f3\", AT_FDCWD, 0x1, 0) = %s", rv(r));
    r = syscall(SYS_unlinkat, AT_FDCWD, "f3", 0);
    expect("unlinkat(AT_FDCWD, \"f3\", 0) = %s", rv(r));
    r = syscall(SYS_unlinkat, AT_FDCWD, "d1", 0);
    expect("unlinkat(AT_FDCWD, \"d1\", 0) = %s", rv(r));
    r = syscall(SYS_unlinkat, AT_FDCWD, "d1", AT_REMOVEDIR);
    expect("unlinkat(AT_FDCWD, \"d1\", AT_REMOVEDIR) = %s", rv(r));
    r = syscall(SYS_unlinkat, AT_FDCWD, "l2", 0x1);
    expect("unlinkat(AT_FDCWD, \"l2\", 0x1 /* AT_??? */) = %s", rv(r));

    /* times */
    r = syscall(SYS_utimensat, AT_FDCWD, "f1", NULL, 0);
    expect("utimensat(AT_FDCWD, \"f1\", NULL, 0) = %s", rv(r));
    struct timespec ts[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    r = syscall(SYS_utimensat, fd, NULL, ts, 0);
    expect("utimensat(%ld, NULL, [UTIME_NOW, UTIME_OMIT], 0) = %s", fd, rv(r));
    r = syscall(SYS_utimensat, AT_FDCWD, "l1", BAD, AT_SYMLINK_NOFOLLOW);
    expect("utimensat(AT_FDCWD, \"l1\", 0x1, AT_SYMLINK_NOFOLLOW) = %s", rv(r));
    struct timespec fixed_ts[2] = {{1000000000, 5}, {1000000001, 0}};
    r = syscall(SYS_utimensat, AT_FDCWD, "f1", fixed_ts, 0);
    expect("utimensat(AT_FDCWD, \"f1\", [{tv_sec=1000000000, tv_nsec=5} /* 2001-09-09T01:46:40.000000005+0000 */, {tv_sec=1000000001, tv_nsec=0} /* 2001-09-09T01:46:41+0000 */], 0) = %s", rv(r));
    struct timespec bad_ts[2] = {{0, 1000000000}, {0, 0}};
    r = syscall(SYS_utimensat, AT_FDCWD, "f1", bad_ts, 0);
    expect("utimensat(AT_FDCWD, \"f1\", [{tv_sec=0, tv_nsec=1000000000}, {tv_sec=0, tv_nsec=0}], 0) = %s", rv(r));

    /* fcntl */
    r = syscall(SYS_fcntl, fd, F_GETFL);
    expect("fcntl(%ld, F_GETFL) = %s", fd, r == 0x8002 ? "0x8002 (flags O_RDWR|O_LARGEFILE)" : rv(r));
    r = syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
    expect("fcntl(%ld, F_SETFD, FD_CLOEXEC) = %s", fd, rv(r));
    r = syscall(SYS_fcntl, fd, F_GETFD);
    expect("fcntl(%ld, F_GETFD) = %s", fd, r == 1 ? "0x1 (flags FD_CLOEXEC)" : rv(r));
    r = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 10);
    expect("fcntl(%ld, F_DUPFD_CLOEXEC, 10) = %s", fd, rv(r));
    r = syscall(SYS_fcntl, 12345, F_GETFD);
    expect("fcntl(12345, F_GETFD) = %s", rv(r));
    r = syscall(SYS_fcntl, fd, 9999, 7);
    expect("fcntl(%ld, 0x270f /* F_??? */, 0x7) = %s", fd, rv(r));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    r = syscall(SYS_fcntl, fd, F_SETLK, &fl);
    expect("fcntl(%ld, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = %s", fd, rv(r));
    r = syscall(SYS_fcntl, fd, F_SETLK, BAD);
    expect("fcntl(%ld, F_SETLK, 0x1) = %s", fd, rv(r));
    r = syscall(SYS_fcntl, fd, F_SETFL, O_APPEND | O_NONBLOCK);
    expect("fcntl(%ld, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = %s", fd, rv(r));

    /* ioctl */
    struct termios tio;
    r = syscall(SYS_ioctl, devnull, TCGETS, &tio);
    expect("ioctl(%d, TCGETS, 0x%lx) = %s", devnull, (long)&tio, rv(r));
    struct winsize ws;
    r = syscall(SYS_ioctl, devnull, TIOCGWINSZ, &ws);
    expect("ioctl(%d, TIOCGWINSZ, 0x%lx) = %s", devnull, (long)&ws, rv(r));
    r = syscall(SYS_write, pfd[1], "abc", 3);
    expect("write(%d, \"abc\", 3) = %s", pfd[1], rv(r));
    int avail = -1;
    r = syscall(SYS_ioctl, pfd[0], FIONREAD, &avail);
    expect("ioctl(%d, FIONREAD, [%d]) = %s", pfd[0], avail, rv(r));
    r = syscall(SYS_ioctl, pfd[0], FIONREAD, BAD);
    expect("ioctl(%d, FIONREAD, 0x1) = %s", pfd[0], rv(r));
    r = syscall(SYS_ioctl, 12345, TCGETS, &tio);
    expect("ioctl(12345, TCGETS, 0x%lx) = %s", (long)&tio, rv(r));

    /* lseek */
    r = syscall(SYS_lseek, fd, 0, SEEK_END);
    expect("lseek(%ld, 0, SEEK_END) = %s", fd, rv(r));
    r = syscall(SYS_lseek, fd, -1L, SEEK_SET);
    expect("lseek(%ld, -1, SEEK_SET) = %s", fd, rv(r));
    r = syscall(SYS_lseek, fd, 2L, SEEK_CUR);
    expect("lseek(%ld, 2, SEEK_CUR) = %s", fd, rv(r));
    r = syscall(SYS_lseek, fd, 0, 7);
    expect("lseek(%ld, 0, 0x7 /* SEEK_??? */) = %s", fd, rv(r));
    r = syscall(SYS_lseek, pfd[0], 0, SEEK_DATA);
    expect("lseek(%d, 0, SEEK_DATA) = %s", pfd[0], rv(r));

    r = syscall(SYS_close, fd2);
    expect("close(%ld) = %s", fd2, rv(r));
    r = syscall(SYS_close, 12345);
    expect("close(12345) = %s", rv(r));
    return selfcheck_end(argv[1]);
}
