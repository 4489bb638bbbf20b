//! Exact-output tests of the decoders against lines strace 6.1 printed for
//! the same calls (addresses replaced by the fake memory's).

mod common;
use common::*;
use ptrail_decode::DecodeOptions;

const ENOENT: i64 = -2;
const EBADF: i64 = -9;

#[test]
fn fs_family() {
    let mut m = Mem::new();
    let p = m.cstr("/etc/ld.so.cache");
    assert_eq!(
        line("openat", &[AT_FDCWD, p, 0o2000000], 3, &m),
        r#"openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3"#
    );
    assert_eq!(
        line("openat", &[AT_FDCWD, p, 0o2000000 | 0x10000000], ENOENT, &m),
        r#"openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC|0x10000000) = -1 ENOENT (No such file or directory)"#
    );
    assert_eq!(
        line("openat", &[-1i64 as u64, 0, 0o101, 0o644], -14, &m),
        "openat(-1, NULL, O_WRONLY|O_CREAT, 0644) = -1 EFAULT (Bad address)"
    );
    assert_eq!(
        line("openat", &[AT_FDCWD, 1, 0o20200002, 0o600], -14, &m),
        "openat(AT_FDCWD, 0x1, O_RDWR|O_TMPFILE, 0600) = -1 EFAULT (Bad address)"
    );
    let root = m.cstr("/");
    assert_eq!(
        line(
            "openat",
            &[AT_FDCWD, root, 0o4000 | 0o2000000 | 0o200000],
            3,
            &m
        ),
        r#"openat(AT_FDCWD, "/", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3"#
    );
    let pre = m.cstr("/etc/ld.so.preload");
    assert_eq!(
        line("access", &[pre, 4], ENOENT, &m),
        r#"access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)"#
    );
    assert_eq!(
        line("access", &[root, 0x10], -22, &m),
        r#"access("/", 0x10 /* ?_OK */) = -1 EINVAL (Invalid argument)"#
    );
    assert_eq!(
        line("access", &[root, 7], 0, &m),
        r#"access("/", R_OK|W_OK|X_OK) = 0"#
    );
    assert_eq!(
        line("access", &[root, 0], 0, &m),
        r#"access("/", F_OK) = 0"#
    );
    let etc = m.cstr("/etc");
    assert_eq!(
        line("faccessat2", &[AT_FDCWD, etc, 2, 0x200], 0, &m),
        r#"faccessat2(AT_FDCWD, "/etc", W_OK, AT_EACCESS) = 0"#
    );
    let d = m.cstr("/tmp/xx_dec");
    assert_eq!(
        line("mkdir", &[d, 0o755], 0, &m),
        r#"mkdir("/tmp/xx_dec", 0755) = 0"#
    );
    assert_eq!(line("rmdir", &[d], 0, &m), r#"rmdir("/tmp/xx_dec") = 0"#);
    assert_eq!(
        line("unlinkat", &[AT_FDCWD, d, 0x200], ENOENT, &m),
        r#"unlinkat(AT_FDCWD, "/tmp/xx_dec", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)"#
    );
    let a = m.cstr("/tmp/a");
    let b = m.cstr("/tmp/b");
    assert_eq!(
        line("renameat2", &[AT_FDCWD, a, AT_FDCWD, b, 1], ENOENT, &m),
        r#"renameat2(AT_FDCWD, "/tmp/a", AT_FDCWD, "/tmp/b", RENAME_NOREPLACE) = -1 ENOENT (No such file or directory)"#
    );
    assert_eq!(
        line("rename", &[a, b], 0, &m),
        r#"rename("/tmp/a", "/tmp/b") = 0"#
    );
    let exe = m.cstr("/proc/self/exe");
    let buf = m.put(b"/tmp/dec/h\0\0\0\0\0\0");
    assert_eq!(
        line("readlink", &[exe, buf, 64], 10, &m),
        r#"readlink("/proc/self/exe", "/tmp/dec/h", 64) = 10"#
    );
    let cwd = m.put(b"/tmp/dec\0");
    assert_eq!(
        line("getcwd", &[cwd, 256], 9, &m),
        r#"getcwd("/tmp/dec", 256) = 9"#
    );
    assert_eq!(line("umask", &[0o22], 0o22, &m), "umask(022) = 022");
    let mfd = m.cstr("mfd");
    assert_eq!(
        line("memfd_create", &[mfd, 1], 16, &m),
        r#"memfd_create("mfd", MFD_CLOEXEC) = 16"#
    );
    let tmp = m.cstr("/tmp");
    assert_eq!(
        line("inotify_add_watch", &[14, tmp, 0x300], 1, &m),
        r#"inotify_add_watch(14, "/tmp", IN_CREATE|IN_DELETE) = 1"#
    );
    assert_eq!(
        line("inotify_init1", &[0o4000], 14, &m),
        "inotify_init1(IN_NONBLOCK) = 14"
    );
    assert_eq!(line("chdir", &[tmp], 0, &m), r#"chdir("/tmp") = 0"#);
    assert_eq!(
        line("chdir", &[0xdead0000], -14, &m),
        "chdir(0xdead0000) = -1 EFAULT (Bad address)"
    );
}

fn stat_buf(mode: u32, size: u64, rdev: u64) -> Vec<u8> {
    B::default()
        .u64(0xfe00)
        .u64(672)
        .u64(1)
        .u32(mode)
        .u32(0)
        .u32(0)
        .u32(0)
        .u64(rdev)
        .u64(size)
        .u64(4096)
        .u64(72)
        .u64(1795881995)
        .u64(129793561)
        .u64(1790052689)
        .u64(0)
        .u64(1790052689)
        .u64(0)
        .pad(24)
        .0
}

#[test]
fn stat_family() {
    let mut m = Mem::new();
    let empty = m.cstr("");
    let st = m.put(&stat_buf(0o100644, 33699, 0));
    assert_eq!(
        line("newfstatat", &[3, empty, st, 0x1000], 0, &m),
        r#"newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=33699, ...}, AT_EMPTY_PATH) = 0"#
    );
    let dev = m.put(&stat_buf(0o20666, 0, 0x103));
    assert_eq!(
        line("newfstatat", &[1, empty, dev, 0x1000], 0, &m),
        r#"newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0"#
    );
    let tmp = m.cstr("/tmp");
    let dir = m.put(&stat_buf(0o41777, 4096, 0));
    assert_eq!(
        line("newfstatat", &[AT_FDCWD, tmp, dir, 0], 0, &m),
        r#"newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}, 0) = 0"#
    );
    assert_eq!(
        line("newfstatat", &[AT_FDCWD, tmp, 0x7ffe0000, 0], ENOENT, &m),
        r#"newfstatat(AT_FDCWD, "/tmp", 0x7ffe0000, 0) = -1 ENOENT (No such file or directory)"#
    );
    let v = DecodeOptions {
        verbose: true,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&v, "newfstatat", &[3, empty, st, 0x1000], 0, &m),
        r#"newfstatat(3, "", {st_dev=makedev(0xfe, 0), st_ino=672, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=72, st_size=33699, st_atime=1795881995 /* 2026-11-28T16:06:35.129793561+0000 */, st_atime_nsec=129793561, st_mtime=1790052689 /* 2026-09-22T04:51:29+0000 */, st_mtime_nsec=0, st_ctime=1790052689 /* 2026-09-22T04:51:29+0000 */, st_ctime_nsec=0}, AT_EMPTY_PATH) = 0"#
    );
    assert_eq!(
        line("fstat", &[0, dev], 0, &m),
        r#"fstat(0, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0"#
    );
    let root = m.cstr("/");
    let sx = B::default()
        .u32(0x17ff & !0xc0 | 0x1000)
        .u32(4096)
        .u64(0x2000)
        .u32(21)
        .u32(0)
        .u32(0)
        .u16(0o40755)
        .u16(0)
        .u64(2)
        .u64(4096)
        .u64(8)
        .pad(256 - 56)
        .0;
    let sxa = m.put(&sx);
    assert_eq!(
        line("statx", &[AT_FDCWD, root, 0x800, 2, sxa], 0, &m),
        r#"statx(AT_FDCWD, "/", AT_STATX_SYNC_AS_STAT|AT_NO_AUTOMOUNT, STATX_MODE, {stx_mask=STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_ATIME|STATX_INO|STATX_SIZE|STATX_BLOCKS|STATX_MNT_ID, stx_attributes=STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFDIR|0755, stx_size=4096, ...}) = 0"#
    );
}

#[test]
fn io_family() {
    let mut m = Mem::new();
    let elf = m.put(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    assert_eq!(
        line("read", &[3, elf, 832], 832, &m),
        r#"read(3, "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\0\0\0\0\0\0\0\0"..., 832) = 832"#
    );
    assert_eq!(
        line("read", &[3, elf, 832], EBADF, &m),
        format!("read(3, {elf:#x}, 832) = -1 EBADF (Bad file descriptor)")
    );
    let e = m.put(b"");
    assert_eq!(
        line("read", &[3, e, 1024], 0, &m),
        r#"read(3, "", 1024) = 0"#
    );
    let hi = m.put(b"hi\n");
    assert_eq!(
        line("write", &[1, hi, 3], 3, &m),
        r#"write(1, "hi\n", 3) = 3"#
    );
    let mut s = vec![b'a'; 300];
    s[5] = b'\n';
    s[6] = 0x1b;
    s[7] = b'7';
    s[8] = 0x1b;
    s[9] = b'x';
    let sa = m.put(&s);
    assert_eq!(
        line("write", &[-1i64 as u64, sa, 300], EBADF, &m),
        r#"write(-1, "aaaaa\n\0337\33xaaaaaaaaaaaaaaaaaaaaaa"..., 300) = -1 EBADF (Bad file descriptor)"#
    );
    let x1 = DecodeOptions {
        hex_strings: 1,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&x1, "write", &[-1i64 as u64, hi, 3], EBADF, &m),
        r#"write(-1, "hi\n", 3) = -1 EBADF (Bad file descriptor)"#
    );
    let ab = m.put(b"a\0b");
    assert_eq!(
        line_opts(&x1, "write", &[-1i64 as u64, ab, 3], 3, &m),
        r#"write(-1, "\x61\x00\x62", 3) = 3"#
    );
    let s5 = DecodeOptions {
        string_limit: 5,
        hex_strings: 2,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&s5, "write", &[-1i64 as u64, sa, 10], 10, &m),
        r#"write(-1, "\x61\x61\x61\x61\x61"..., 10) = 10"#
    );
    assert_eq!(
        line("write", &[-1i64 as u64, 16, 10], EBADF, &m),
        "write(-1, 0x10, 10) = -1 EBADF (Bad file descriptor)"
    );
    let u = m.put(b"\xc3\xa9t\xe9");
    assert_eq!(
        line("write", &[-1i64 as u64, u, 4], 4, &m),
        r#"write(-1, "\303\251t\351", 4) = 4"#
    );
    let pd = m.put(b"\x06\0\0\0\x04\0\0\0@\0\0\0\0\0\0\0@\0\0\0\0\0\0\0@\0\0\0\0\0\0\0@@@@");
    assert_eq!(
        line("pread64", &[3, pd, 784, 64], 784, &m),
        r#"pread64(3, "\6\0\0\0\4\0\0\0@\0\0\0\0\0\0\0@\0\0\0\0\0\0\0@\0\0\0\0\0\0\0"..., 784, 64) = 784"#
    );
    // iovecs
    let ab2 = m.put(b"ab");
    let cde = m.put(b"cde\n");
    let iov = m.put(&B::default().u64(ab2).u64(2).u64(cde).u64(4).0);
    assert_eq!(
        line("writev", &[-1i64 as u64, iov, 2], EBADF, &m),
        r#"writev(-1, [{iov_base="ab", iov_len=2}, {iov_base="cde\n", iov_len=4}], 2) = -1 EBADF (Bad file descriptor)"#
    );
    let b1 = m.put(b"hell");
    let b2 = m.put(b"o world\0");
    let iov2 = m.put(&B::default().u64(b1).u64(4).u64(b2).u64(8).0);
    assert_eq!(
        line("readv", &[9, iov2, 2], 11, &m),
        r#"readv(9, [{iov_base="hell", iov_len=4}, {iov_base="o world", iov_len=8}], 2) = 11"#
    );
    let fds = m.put(&B::default().u32(3).u32(4).0);
    assert_eq!(line("pipe2", &[fds, 0], 0, &m), "pipe2([3, 4], 0) = 0");
    assert_eq!(
        line("pipe2", &[fds, 0o4000 | 0o2000000], 0, &m),
        "pipe2([3, 4], O_NONBLOCK|O_CLOEXEC) = 0"
    );
    assert_eq!(line("pipe", &[fds], 0, &m), "pipe([3, 4]) = 0");
    assert_eq!(
        line("lseek", &[0, 0, 2], 0, &m),
        "lseek(0, 0, SEEK_END) = 0"
    );
    assert_eq!(
        line("lseek", &[0, -1i64 as u64, 0], -29, &m),
        "lseek(0, -1, SEEK_SET) = -1 ESPIPE (Illegal seek)"
    );
    assert_eq!(
        line("lseek", &[1, 5, 77], -22, &m),
        "lseek(1, 5, 0x4d /* SEEK_??? */) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(line("dup2", &[8, 10], 10, &m), "dup2(8, 10) = 10");
    assert_eq!(
        line("dup3", &[10, 11, 0o2000000], 11, &m),
        "dup3(10, 11, O_CLOEXEC) = 11"
    );
    assert_eq!(line("dup3", &[0, 1, 0], 1, &m), "dup3(0, 1, 0) = 1");
    assert_eq!(line("close", &[3], 0, &m), "close(3) = 0");
    assert_eq!(
        line("fcntl", &[0, 3], 0x8000, &m),
        "fcntl(0, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)"
    );
    assert_eq!(
        line("fcntl", &[0, 4, 0x8000], 0, &m),
        "fcntl(0, F_SETFL, O_RDONLY|O_LARGEFILE) = 0"
    );
    assert_eq!(line("fcntl", &[0, 1], 0, &m), "fcntl(0, F_GETFD) = 0");
    assert_eq!(
        line("fcntl", &[0, 1], 1, &m),
        "fcntl(0, F_GETFD) = 0x1 (flags FD_CLOEXEC)"
    );
    assert_eq!(
        line("fcntl", &[0, 2, 1], 0, &m),
        "fcntl(0, F_SETFD, FD_CLOEXEC) = 0"
    );
    assert_eq!(
        line("fcntl", &[1, 0, 10], 11, &m),
        "fcntl(1, F_DUPFD, 10) = 11"
    );
    assert_eq!(
        line("fcntl", &[0, 1030, 3], 7, &m),
        "fcntl(0, F_DUPFD_CLOEXEC, 3) = 7"
    );
    let fl = m.put(
        &B::default()
            .u16(1)
            .u16(0)
            .u32(0)
            .u64(0)
            .u64(0)
            .u32(0)
            .u32(0)
            .0,
    );
    assert_eq!(
        line("fcntl", &[-1i64 as u64, 6, fl], EBADF, &m),
        "fcntl(-1, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("ioctl", &[1, 0x5401, 0x7fff46c3cdd0], -25, &m),
        "ioctl(1, TCGETS, 0x7fff46c3cdd0) = -1 ENOTTY (Inappropriate ioctl for device)"
    );
    let tio = m.put(
        &B::default()
            .u32(0x500)
            .u32(0x5)
            .u32(0xbf)
            .u32(0x8a3b)
            .pad(20)
            .0,
    );
    assert_eq!(
        line("ioctl", &[0, 0x5401, tio], 0, &m),
        "ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0"
    );
    let ws = m.put(&[0u8; 8]);
    assert_eq!(
        line("ioctl", &[0, 0x5413, ws], 0, &m),
        "ioctl(0, TIOCGWINSZ, {ws_row=0, ws_col=0, ws_xpixel=0, ws_ypixel=0}) = 0"
    );
    let pg = m.put(&15981u32.to_le_bytes());
    assert_eq!(
        line("ioctl", &[0, 0x540f, pg], 0, &m),
        "ioctl(0, TIOCGPGRP, [15981]) = 0"
    );
    assert_eq!(
        line("ioctl", &[-1i64 as u64, 0x1234, 0], EBADF, &m),
        "ioctl(-1, _IOC(_IOC_NONE, 0x12, 0x34, 0), 0) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("ioctl", &[-1i64 as u64, 0xc0101234, 0], EBADF, &m),
        "ioctl(-1, _IOC(_IOC_READ|_IOC_WRITE, 0x12, 0x34, 0x10), 0) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("close_range", &[100, 0xffffffff, 0], 0, &m),
        "close_range(100, 4294967295, 0) = 0"
    );
    assert_eq!(
        line("close_range", &[100, 200, 4], 0, &m),
        "close_range(100, 200, CLOSE_RANGE_CLOEXEC) = 0"
    );
    assert_eq!(
        line("flock", &[-1i64 as u64, 6], EBADF, &m),
        "flock(-1, LOCK_EX|LOCK_NB) = -1 EBADF (Bad file descriptor)"
    );
    let off = m.put(&5u64.to_le_bytes());
    assert_eq!(
        line("sendfile", &[1, -1i64 as u64, off, 10], EBADF, &m),
        "sendfile(1, -1, [5], 10) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("fadvise64", &[0, 0, 0, 2], 0, &m),
        "fadvise64(0, 0, 0, POSIX_FADV_SEQUENTIAL) = 0"
    );
    assert_eq!(
        line("eventfd2", &[3, 0o2004000], 12, &m),
        "eventfd2(3, EFD_CLOEXEC|EFD_NONBLOCK) = 12"
    );
    let dents = m.put(&[0u8; 64]);
    assert_eq!(
        line("getdents64", &[3, dents, 32768], 0, &m),
        format!("getdents64(3, {dents:#x} /* 0 entries */, 32768) = 0")
    );
    let mut d = Vec::new();
    for name in [&b"."[..], b"..", b"bin"] {
        let reclen = (19 + name.len() + 1 + 7) & !7;
        let mut e = B::default()
            .u64(1)
            .u64(2)
            .u16(reclen as u16)
            .u8(4)
            .bytes(name)
            .0;
        e.resize(reclen, 0);
        d.extend(e);
    }
    let n = d.len() as i64;
    let da = m.put(&d);
    assert_eq!(
        line("getdents64", &[3, da, 32768], n, &m),
        format!("getdents64(3, {da:#x} /* 3 entries */, 32768) = {n}")
    );
}
