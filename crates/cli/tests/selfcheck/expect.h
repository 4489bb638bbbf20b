/*
 * Shared part of the self-checking helpers (see ../selfcheck.rs).
 *
 * A helper makes raw syscalls between two marker calls and, for each one,
 * records with expect() the exact line strace prints for it (without the
 * padding before " = ": the test compares the lines with that padding
 * squeezed). The lines are kept in memory while the calls run, since
 * writing them would itself be traced, and are written to the file named
 * in argv[1] after the end marker.
 *
 * Helpers must not call libc functions that make syscalls between the
 * markers: only syscall(), the formatting below and plain memory work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char expect_buf[1 << 20];
static size_t expect_len;

/* Appends one expected line (printf format, no newline). */
__attribute__((format(printf, 1, 2))) static void expect(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(expect_buf + expect_len, sizeof expect_buf - expect_len - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof expect_buf - expect_len - 1)
        abort();
    expect_len += (size_t)n;
    expect_buf[expect_len++] = '\n';
}

/* errno names of the errors the helpers provoke. */
static const char *errno_name(int e)
{
    switch (e) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(E2BIG) E(EBADF) E(ECHILD)
    E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV)
    E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(EMFILE) E(ENOTTY) E(EFBIG)
    E(ENOSPC) E(ESPIPE) E(EROFS) E(EPIPE) E(ERANGE) E(ENAMETOOLONG) E(ENOSYS)
    E(ENOTEMPTY) E(ELOOP) E(ENODATA) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE)
    E(EPROTOTYPE) E(ENOPROTOOPT) E(EPROTONOSUPPORT) E(EOPNOTSUPP)
    E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL) E(EISCONN) E(ENOTCONN)
    E(ETIMEDOUT) E(ECONNREFUSED) E(EALREADY) E(EINPROGRESS)
#undef E
    }
    abort();
}

/* The return part of a line: "3", or "-1 ENOENT (No such file or directory)".
 * Call it right after the syscall (it reads errno). Eight rotating buffers. */
static const char *rv(long r)
{
    static char bufs[8][160];
    static int next;
    char *b = bufs[next++ % 8];
    if (r == -1)
        snprintf(b, sizeof bufs[0], "-1 %s (%s)", errno_name(errno), strerror(errno));
    else
        snprintf(b, sizeof bufs[0], "%ld", r);
    return b;
}

/* Same, for pointer-valued returns (mmap, brk...). */
__attribute__((unused)) static const char *rvp(long r)
{
    static char bufs[4][160];
    static int next;
    if (r == -1)
        return rv(r);
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%#lx", r);
    return b;
}

/* The marker calls: faccessat of names that exist nowhere. */
static void selfcheck_begin(void)
{
    syscall(SYS_faccessat, AT_FDCWD, "ptrail-selfcheck-begin", F_OK);
}

/* Ends the checked part and writes the expectations to `path`. */
static int selfcheck_end(const char *path)
{
    syscall(SYS_faccessat, AT_FDCWD, "ptrail-selfcheck-end", F_OK);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 2;
    size_t off = 0;
    while (off < expect_len) {
        ssize_t n = write(fd, expect_buf + off, expect_len - off);
        if (n <= 0)
            return 2;
        off += (size_t)n;
    }
    close(fd);
    return 0;
}

/* A page no access is allowed to: its address is a "bad pointer" that
 * strace prints as a number. Map it before selfcheck_begin(). */
__attribute__((unused)) static void *noaccess_page(void)
{
    void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        abort();
    return p;
}

#define BAD ((void *)1)
