/* I/O family: read, write, pread64, pwrite64, readv, writev, sendfile,
 * copy_file_range, splice. */
#include "expect.h"
#include <sys/uio.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    void *none = noaccess_page();
    char buf[128];
    long r;
    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int out = open("out", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int pfd[2];
    if (fd < 0 || out < 0 || pipe(pfd))
        return 2;
    const char *longs = "0123456789abcdefghijklmnopqrstuvwxyz-ABCDEF";

    selfcheck_begin();

    /* write */
    r = syscall(SYS_write, fd, "hello", 5);
    expect("write(%d, \"hello\", 5) = %s", fd, rv(r));
    r = syscall(SYS_write, fd, longs, strlen(longs));
    expect("write(%d, \"%.32s\"..., %zu) = %s", fd, longs, strlen(longs), rv(r));
    r = syscall(SYS_write, fd, "\0\1" "2\377\t\"\\ \x7f\r", 10);
    expect("write(%d, \"\\0\\0012\\377\\t\\\"\\\\ \\177\\r\", 10) = %s", fd, rv(r));
    r = syscall(SYS_write, -1, "x", 1);
    expect("write(-1, \"x\", 1) = %s", rv(r));
    r = syscall(SYS_write, fd, BAD, 5);
    expect("write(%d, 0x1, 5) = %s", fd, rv(r));
    r = syscall(SYS_write, fd, none, 3);
    expect("write(%d, 0x%lx, 3) = %s", fd, (long)none, rv(r));
    r = syscall(SYS_write, fd, NULL, 0);
    expect("write(%d, NULL, 0) = %s", fd, rv(r));
    r = syscall(SYS_write, fd, "", 0);
    expect("write(%d, \"\", 0) = %s", fd, rv(r));

    /* read */
    r = syscall(SYS_lseek, fd, 0L, SEEK_SET);
    expect("lseek(%d, 0, SEEK_SET) = %s", fd, rv(r));
    r = syscall(SYS_read, fd, buf, 5);
    expect("read(%d, \"hello\", 5) = %s", fd, rv(r));
    r = syscall(SYS_read, fd, buf, 100);
    expect("read(%d, \"%.32s\"..., 100) = %s", fd, longs, rv(r));
    r = syscall(SYS_read, fd, buf, 100);
    expect("read(%d, \"\", 100) = %s", fd, rv(r));
    r = syscall(SYS_read, 12345, buf, 10);
    expect("read(12345, 0x%lx, 10) = %s", (long)buf, rv(r));
    r = syscall(SYS_pread64, fd, BAD, 10, 0L);
    expect("pread64(%d, 0x1, 10, 0) = %s", fd, rv(r));
    r = syscall(SYS_pread64, fd, buf, 3, 1L);
    expect("pread64(%d, \"ell\", 3, 1) = %s", fd, rv(r));
    r = syscall(SYS_pread64, fd, buf, 3, -1L);
    expect("pread64(%d, 0x%lx, 3, -1) = %s", fd, (long)buf, rv(r));
    r = syscall(SYS_pread64, pfd[0], buf, 3, 0L);
    expect("pread64(%d, 0x%lx, 3, 0) = %s", pfd[0], (long)buf, rv(r));
    r = syscall(SYS_pwrite64, fd, "XY", 2, 100L);
    expect("pwrite64(%d, \"XY\", 2, 100) = %s", fd, rv(r));
    r = syscall(SYS_pwrite64, fd, NULL, 2, 0L);
    expect("pwrite64(%d, NULL, 2, 0) = %s", fd, rv(r));

    /* vectors */
    char a[4], b[16];
    struct iovec iov[2] = {{a, 3}, {b, 10}};
    r = syscall(SYS_pread64, fd, buf, 0, 0L);
    expect("pread64(%d, \"\", 0, 0) = %s", fd, rv(r));
    r = syscall(SYS_lseek, fd, 0L, SEEK_SET);
    expect("lseek(%d, 0, SEEK_SET) = %s", fd, rv(r));
    r = syscall(SYS_readv, fd, iov, 2);
    expect("readv(%d, [{iov_base=\"hel\", iov_len=3}, {iov_base=\"lo01234567\", iov_len=10}], 2) = %s", fd, rv(r));
    r = syscall(SYS_readv, fd, BAD, 2);
    expect("readv(%d, 0x1, 2) = %s", fd, rv(r));
    r = syscall(SYS_readv, 12345, iov, 2);
    expect("readv(12345, [{iov_base=0x%lx, iov_len=3}, {iov_base=0x%lx, iov_len=10}], 2) = %s", (long)a, (long)b, rv(r));
    struct iovec wv[3] = {{"abc", 3}, {(void *)longs, strlen(longs)}, {"", 0}};
    r = syscall(SYS_writev, out, wv, 3);
    expect("writev(%d, [{iov_base=\"abc\", iov_len=3}, {iov_base=\"%.32s\"..., iov_len=%zu}, {iov_base=\"\", iov_len=0}], 3) = %s",
           out, longs, strlen(longs), rv(r));
    struct iovec badv[1] = {{BAD, 5}};
    r = syscall(SYS_writev, out, badv, 1);
    expect("writev(%d, [{iov_base=0x1, iov_len=5}], 1) = %s", out, rv(r));
    r = syscall(SYS_writev, out, BAD, 1025);
    expect("writev(%d, 0x1, 1025) = %s", out, rv(r));

    /* sendfile, copy_file_range, splice */
    off_t off = 0;
    r = syscall(SYS_sendfile, out, fd, &off, 5);
    expect("sendfile(%d, %d, [0] => [5], 5) = %s", out, fd, rv(r));
    r = syscall(SYS_sendfile, out, fd, &off, 0);
    expect("sendfile(%d, %d, [5], 0) = %s", out, fd, rv(r));
    r = syscall(SYS_sendfile, out, 12345, &off, 3);
    expect("sendfile(%d, 12345, [5], 3) = %s", out, rv(r));
    off = 1000;
    r = syscall(SYS_sendfile, out, fd, &off, 3);
    expect("sendfile(%d, %d, [1000], 3) = %s", out, fd, rv(r));
    r = syscall(SYS_sendfile, pfd[1], fd, NULL, 4);
    expect("sendfile(%d, %d, NULL, 4) = %s", pfd[1], fd, rv(r));
    r = syscall(SYS_sendfile, out, fd, BAD, 4);
    expect("sendfile(%d, %d, 0x1, 4) = %s", out, fd, rv(r));
    r = syscall(SYS_sendfile, out, 12345, NULL, 4);
    expect("sendfile(%d, 12345, NULL, 4) = %s", out, rv(r));
    loff_t in_off = 1;
    r = syscall(SYS_copy_file_range, fd, &in_off, out, NULL, 4, 0);
    expect("copy_file_range(%d, [1], %d, NULL, 4, 0) = %s", fd, out, rv(r));
    r = syscall(SYS_copy_file_range, fd, NULL, out, NULL, 4, 7);
    expect("copy_file_range(%d, NULL, %d, NULL, 4, 7) = %s", fd, out, rv(r));
    loff_t sp_off = 2;
    r = syscall(SYS_splice, pfd[0], NULL, out, &sp_off, 4, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    expect("splice(%d, NULL, %d, [2], 4, SPLICE_F_MOVE|SPLICE_F_NONBLOCK) = %s", pfd[0], out, rv(r));
    r = syscall(SYS_splice, pfd[0], NULL, out, NULL, 4, SPLICE_F_NONBLOCK | 0x40);
    expect("splice(%d, NULL, %d, NULL, 4, SPLICE_F_NONBLOCK|0x40) = %s", pfd[0], out, rv(r));
    r = syscall(SYS_splice, fd, NULL, out, NULL, 4, 0);
    expect("splice(%d, NULL, %d, NULL, 4, 0) = %s", fd, out, rv(r));
    return selfcheck_end(argv[1]);
}
