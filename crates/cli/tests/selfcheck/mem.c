/* Memory family: mmap, mprotect, munmap, brk, madvise, mremap. */
#include "expect.h"

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    int fd = open("mapped", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 8192))
        return 2;

    selfcheck_begin();

    long a = syscall(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %s", rvp(a));
    long f = syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
    expect("mmap(NULL, 4096, PROT_READ, MAP_SHARED, %d, 0x1000) = %s", fd, rvp(f));
    r = syscall(SYS_mmap, NULL, 4096, PROT_READ, 0, -1, 0);
    expect("mmap(NULL, 4096, PROT_READ, MAP_FILE, -1, 0) = %s", rvp(r));
    r = syscall(SYS_mmap, NULL, 4096, PROT_READ | 0x10, MAP_PRIVATE | MAP_ANONYMOUS | 0x8000000, -1, 0);
    expect("mmap(NULL, 4096, PROT_READ|0x10, MAP_PRIVATE|MAP_ANONYMOUS|2<<MAP_HUGE_SHIFT, -1, 0) = %s", rvp(r));
    if (r != -1) {
        long u = syscall(SYS_munmap, r, 4096);
        expect("munmap(%#lx, 4096) = %s", r, rv(u));
    }
    r = syscall(SYS_mmap, a, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    expect("mmap(%#lx, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = %s", a, rvp(r));
    r = syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_SHARED, 12345, 0);
    expect("mmap(NULL, 4096, PROT_READ, MAP_SHARED, 12345, 0) = %s", rvp(r));
    r = syscall(SYS_mmap, NULL, 0, PROT_EXEC | PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE, -1, 0);
    expect("mmap(NULL, 0, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_POPULATE, -1, 0) = %s", rvp(r));
    r = syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 1);
    expect("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, %d, 0x1) = %s", fd, rvp(r));

    r = syscall(SYS_mprotect, a, 4096, PROT_READ);
    expect("mprotect(%#lx, 4096, PROT_READ) = %s", a, rv(r));
    r = syscall(SYS_mprotect, a + 1, 4096, PROT_READ);
    expect("mprotect(%#lx, 4096, PROT_READ) = %s", a + 1, rv(r));
    r = syscall(SYS_mprotect, a, 4096, PROT_READ | PROT_GROWSDOWN);
    expect("mprotect(%#lx, 4096, PROT_READ|PROT_GROWSDOWN) = %s", a, rv(r));
    r = syscall(SYS_mprotect, a, 4096, 0x100);
    expect("mprotect(%#lx, 4096, 0x100 /* PROT_??? */) = %s", a, rv(r));

    r = syscall(SYS_madvise, a, 4096, MADV_DONTNEED);
    expect("madvise(%#lx, 4096, MADV_DONTNEED) = %s", a, rv(r));
    r = syscall(SYS_madvise, a, 4096, 999);
    expect("madvise(%#lx, 4096, 0x3e7 /* MADV_??? */) = %s", a, rv(r));
    r = syscall(SYS_madvise, a + 1, 4096, MADV_SEQUENTIAL);
    expect("madvise(%#lx, 4096, MADV_SEQUENTIAL) = %s", a + 1, rv(r));

    long m = syscall(SYS_mremap, a, 8192, 16384, MREMAP_MAYMOVE);
    expect("mremap(%#lx, 8192, 16384, MREMAP_MAYMOVE) = %s", a, rvp(m));
    r = syscall(SYS_mremap, m, 16384, 4096, 0);
    expect("mremap(%#lx, 16384, 4096, 0) = %s", m, rvp(r));
    r = syscall(SYS_mremap, m, 4096, 8192, 0x10);
    expect("mremap(%#lx, 4096, 8192, 0x10 /* MREMAP_??? */) = %s", m, rvp(r));
    r = syscall(SYS_mremap, m, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, f);
    expect("mremap(%#lx, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, %#lx) = %s", m, f, rvp(r));

    r = syscall(SYS_munmap, f, 4096);
    expect("munmap(%#lx, 4096) = %s", f, rv(r));
    r = syscall(SYS_munmap, 1, 4096);
    expect("munmap(0x1, 4096) = %s", rv(r));

    long b = syscall(SYS_brk, NULL);
    expect("brk(NULL) = %s", rvp(b));
    r = syscall(SYS_brk, b + 8192);
    expect("brk(%#lx) = %s", b + 8192, rvp(r));
    r = syscall(SYS_brk, 1);
    expect("brk(0x1) = %s", rvp(r));
    r = syscall(SYS_brk, b);
    expect("brk(%#lx) = %s", b, rvp(r));
    return selfcheck_end(argv[1]);
}
