//! Decoders for calls that take path names or change the file system
//! namespace: open*, access, *link*, mkdir, rename*, chmod/chown, getcwd,
//! truncate, memfd_create, inotify and friends.

use super::{id, int, timespec_bytes};
use crate::ctx::{flags, mode, Ctx};
use crate::tables::xlat::*;
use crate::value::{RetValue, Value};

/// open(2)-style flags: access mode first, then the other bits.
pub(crate) fn open_flags(v: u64) -> Value {
    static ACCESS: [&str; 4] = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"];
    crate::ctx::flags_with(&ACCESS[(v & 3) as usize], OPEN_FLAGS, v & !3 & 0xffff_ffff)
}

/// Whether an open mode argument is printed.
fn needs_mode(f: u64) -> bool {
    f & 0o100 != 0 || f & 0o20200000 == 0o20200000
}

fn open_common(c: &mut Ctx<'_>, p: usize) {
    if !c.entering() {
        return;
    }
    c.entry_only();
    let v = c.path(p);
    c.push(v);
    let f = c.arg(p + 1);
    c.push(open_flags(f));
    if needs_mode(f) {
        c.push(mode(c.arg(p + 2) & 0xffff, false));
    }
}

pub(crate) fn open(c: &mut Ctx<'_>) {
    open_common(c, 0)
}

pub(crate) fn openat(c: &mut Ctx<'_>) {
    if !c.entering() {
        return;
    }
    let f = c.arg(2);
    if needs_mode(f) {
        let d = c.dirfd(0);
        c.push(d);
        return open_common(c, 1);
    }
    // (the common case, no mode: the three arguments in one extend)
    c.entry_only();
    let v = [c.dirfd(0), c.path(1), open_flags(f)];
    c.args.extend(v);
}

pub(crate) fn creat(c: &mut Ctx<'_>) {
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.push(mode(c.arg(1) & 0xffff, false));
    }
}

pub(crate) fn openat2(c: &mut Ctx<'_>) {
    if !c.entering() {
        return;
    }
    c.entry_only();
    let d = c.dirfd(0);
    c.push(d);
    let p = c.path(1);
    c.push(p);
    let size = c.arg(3);
    let how = if size >= 24 {
        c.struct_at(c.arg(2), 24, |_, b| {
            let f = crate::ctx::le64(b, 0);
            let m = crate::ctx::le64(b, 8);
            let r = crate::ctx::le64(b, 16);
            let resolve = flags(
                &[
                    (1, "RESOLVE_NO_XDEV"),
                    (2, "RESOLVE_NO_MAGICLINKS"),
                    (4, "RESOLVE_NO_SYMLINKS"),
                    (8, "RESOLVE_BENEATH"),
                    (16, "RESOLVE_IN_ROOT"),
                    (32, "RESOLVE_CACHED"),
                ],
                r,
                "RESOLVE_???",
            );
            let mut fields = vec![("flags", open_flags(f))];
            if needs_mode(f) || m != 0 {
                fields.push(("mode", mode(m, false)));
            }
            fields.push(("resolve", resolve));
            crate::ctx::st(fields)
        })
    } else {
        c.addr(2)
    };
    c.push(how);
    c.push(Value::UInt(size));
}

/// access(2) mode: `F_OK`, `R_OK|W_OK`, `0x10 /* ?_OK */`.
fn access_mode(m: u64) -> Value {
    if m == 0 {
        return Value::Sym("F_OK");
    }
    let mut names = Vec::new();
    let mut rest = m;
    for (bit, n) in [(4, "R_OK"), (2, "W_OK"), (1, "X_OK")] {
        if m & bit != 0 {
            names.push(n);
            rest &= !bit;
        }
    }
    if names.is_empty() {
        return Value::Commented(Box::new(Value::Hex(m)), "?_OK".into());
    }
    Value::Flags { names, rest }
}

pub(crate) fn access(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.push(access_mode(c.arg(1) & 0xffff_ffff));
    }
}

pub(crate) fn faccessat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        c.push(access_mode(c.arg(2) & 0xffff_ffff));
    }
}

pub(crate) fn faccessat2(c: &mut Ctx<'_>) {
    faccessat(c);
    if c.entering() {
        c.push(flags(FACCESSAT_FLAGS, c.arg(3) & 0xffff_ffff, "AT_???"));
    }
}

pub(crate) fn readlink(c: &mut Ctx<'_>) {
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.defer();
    } else {
        let b = c.out_buf(1);
        c.push(b);
        c.push(Value::UInt(c.arg(2)));
    }
}

pub(crate) fn readlinkat(c: &mut Ctx<'_>) {
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        c.defer();
    } else {
        let b = c.out_buf(2);
        c.push(b);
        c.push(Value::UInt(c.arg(3)));
    }
}

/// Decoders taking one path.
pub(crate) fn chdir(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let p = c.path(0);
        c.push(p);
    }
}
pub(crate) use chdir as rmdir;
pub(crate) use chdir as unlink;
pub(crate) use chdir as chroot;

pub(crate) fn fchdir(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
    }
}

pub(crate) fn mkdir(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.push(mode(c.arg(1) & 0xffff, false));
    }
}
pub(crate) use mkdir as chmod;

pub(crate) fn mkdirat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        c.push(mode(c.arg(2) & 0xffff, false));
    }
}
pub(crate) use mkdirat as fchmodat;

pub(crate) fn fchmodat2(c: &mut Ctx<'_>) {
    mkdirat(c);
    if c.entering() {
        c.push(flags(AT_FLAGS, c.arg(3) & 0xffff_ffff, "AT_???"));
    }
}

pub(crate) fn fchmod(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.push(mode(c.arg(1) & 0xffff, false));
    }
}

fn mknod_dev(c: &Ctx<'_>, m: u64, i: usize) -> Option<Value> {
    let t = m & 0o170000;
    if t == 0o020000 || t == 0o060000 {
        let d = c.arg(i);
        let major = ((d >> 32) & 0xffff_f000) | ((d >> 8) & 0xfff);
        let minor = ((d >> 12) & 0xffff_ff00) | (d & 0xff);
        Some(Value::Raw(format!("makedev({major:#x}, {minor:#x})")))
    } else {
        None
    }
}

pub(crate) fn mknod(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        let m = c.arg(1) & 0xffff;
        c.push(mode(m, true));
        if let Some(d) = mknod_dev(c, m, 2) {
            c.push(d);
        }
    }
}

pub(crate) fn mknodat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        let m = c.arg(2) & 0xffff;
        c.push(mode(m, true));
        if let Some(d) = mknod_dev(c, m, 3) {
            c.push(d);
        }
    }
}

pub(crate) fn unlinkat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        c.push(flags(AT_FLAGS, c.arg(2) & 0xffff_ffff, "AT_???"));
    }
}

/// Two paths: rename, link, symlink.
pub(crate) fn rename(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let a = c.path(0);
        c.push(a);
        let b = c.path(1);
        c.push(b);
    }
}
pub(crate) use rename as link;
pub(crate) use rename as symlink;

pub(crate) fn renameat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.dirfd(0), c.path(1), c.dirfd(2), c.path(3)];
        c.args.extend(v);
    }
}

pub(crate) fn renameat2(c: &mut Ctx<'_>) {
    renameat(c);
    if c.entering() {
        // strace 6.1 prints two question marks here.
        c.push(flags(RENAME_FLAGS, c.arg(4) & 0xffff_ffff, "RENAME_??"));
    }
}

pub(crate) fn linkat(c: &mut Ctx<'_>) {
    renameat(c);
    if c.entering() {
        c.push(flags(AT_FLAGS, c.arg(4) & 0xffff_ffff, "AT_???"));
    }
}

pub(crate) fn symlinkat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.path(0), c.dirfd(1), c.path(2)];
        c.args.extend(v);
    }
}

pub(crate) fn chown(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.path(0), id(c, 1), id(c, 2)];
        c.args.extend(v);
    }
}
pub(crate) use chown as lchown;

pub(crate) fn fchown(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), id(c, 1), id(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn fchownat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            id(c, 2),
            id(c, 3),
            flags(AT_FLAGS, c.arg(4) & 0xffff_ffff, "AT_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn getcwd(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else {
        let b = if c.failed() {
            c.addr(0)
        } else {
            let n = c.retval().max(0) as u64;
            match c.read_bytes(
                c.arg(0),
                (n.saturating_sub(1) as usize).min(crate::ctx::PATH_MAX),
            ) {
                Some(bytes) => Value::Str {
                    bytes,
                    truncated: false,
                },
                None => Value::Unavailable(c.arg(0)),
            }
        };
        c.push(b);
        c.push(Value::UInt(c.arg(1)));
    }
}

pub(crate) fn truncate(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.path(0), Value::UInt(c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn ftruncate(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), Value::UInt(c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn umask(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(mode(c.arg(0) & 0xffff, false));
    } else {
        c.set_ret(RetValue::Oct(c.retval() as u64));
    }
}

pub(crate) fn statfs(c: &mut Ctx<'_>) {
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.defer();
    } else {
        let v = c.out_struct(1, 120, statfs_bytes);
        c.push(v);
    }
}

pub(crate) fn fstatfs(c: &mut Ctx<'_>) {
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.defer();
    } else {
        let v = c.out_struct(1, 120, statfs_bytes);
        c.push(v);
    }
}

fn statfs_bytes(c: &Ctx<'_>, b: &[u8]) -> Value {
    use crate::ctx::{le32, le64};
    let ftype = le64(b, 0);
    let magic: &[(u64, &str)] = &[
        (0xef53, "EXT2_SUPER_MAGIC"),
        (0x01021994, "TMPFS_MAGIC"),
        (0x9fa0, "PROC_SUPER_MAGIC"),
        (0x62656572, "SYSFS_MAGIC"),
        (0x794c7630, "OVERLAYFS_SUPER_MAGIC"),
        (0x9123683e, "BTRFS_SUPER_MAGIC"),
        (0x58465342, "XFS_SUPER_MAGIC"),
        (0x1cd1, "DEVPTS_SUPER_MAGIC"),
        (0x63677270, "CGROUP2_SUPER_MAGIC"),
        (0x6969, "NFS_SUPER_MAGIC"),
        (0x65735546, "FUSE_SUPER_MAGIC"),
        (0x858458f6, "RAMFS_MAGIC"),
        (0x73717368, "SQUASHFS_MAGIC"),
        (0x01021997, "V9FS_MAGIC"),
    ];
    let fs = match crate::ctx::lookup(magic, ftype) {
        Some(n) => Value::Sym(n),
        None => Value::Hex(ftype),
    };
    let fl = flags(
        &[
            (1, "ST_RDONLY"),
            (2, "ST_NOSUID"),
            (4, "ST_NODEV"),
            (8, "ST_NOEXEC"),
            (16, "ST_SYNCHRONOUS"),
            (32, "ST_VALID"),
            (64, "ST_MANDLOCK"),
            (1024, "ST_NOATIME"),
            (2048, "ST_NODIRATIME"),
            (4096, "ST_RELATIME"),
            (0x2000000, "ST_NOSYMFOLLOW"),
        ],
        le64(b, 80),
        "ST_???",
    );
    crate::ctx::st(vec![
        ("f_type", fs),
        ("f_bsize", Value::Int(le64(b, 8) as i64)),
        ("f_blocks", Value::UInt(le64(b, 16))),
        ("f_bfree", Value::UInt(le64(b, 24))),
        ("f_bavail", Value::UInt(le64(b, 32))),
        ("f_files", Value::UInt(le64(b, 40))),
        ("f_ffree", Value::UInt(le64(b, 48))),
        (
            "f_fsid",
            crate::ctx::st(vec![(
                "val",
                super::limited(
                    c,
                    vec![
                        Value::Hex(le32(b, 56) as u64),
                        Value::Hex(le32(b, 60) as u64),
                    ],
                ),
            )]),
        ),
        ("f_namelen", Value::Int(le64(b, 64) as i64)),
        ("f_frsize", Value::Int(le64(b, 72) as i64)),
        ("f_flags", fl),
    ])
}

pub(crate) fn memfd_create(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let n = c.cstr(0);
        c.push(n);
        let f = c.arg(1) & 0xffff_ffff;
        let huge = f >> 26;
        let v = flags(MFD_FLAGS, f & ((1 << 26) - 1), "MFD_???");
        if huge != 0 {
            let mut s = crate::text::value_to_string(&v, c.opts);
            s.push_str(&format!("|{huge}<<MFD_HUGE_SHIFT"));
            c.push(Value::Raw(s));
        } else {
            c.push(v);
        }
    }
}

pub(crate) fn inotify_init1(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(flags(IN_INIT_FLAGS, c.arg(0) & 0xffff_ffff, "IN_???"));
    }
}

pub(crate) fn inotify_add_watch(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.path(1),
            flags(IN_MASK, c.arg(2) & 0xffff_ffff, "IN_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn inotify_rm_watch(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), int(c, 1)];
        c.args.extend(v);
    }
}

pub(crate) fn utimensat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        let t = c.struct_at(c.arg(2), 32, |c, b| {
            let one = |o: usize| {
                let ns = crate::ctx::le64(b, o + 8);
                match ns {
                    0x3fffffff => Value::Sym("UTIME_NOW"),
                    0x3ffffffe => Value::Sym("UTIME_OMIT"),
                    _ => {
                        let sec = crate::ctx::le64(b, o) as i64;
                        let v = timespec_bytes(&b[o..o + 16]);
                        // No date for the epoch or for an invalid tv_nsec.
                        if (sec == 0 && ns == 0) || ns > 999_999_999 {
                            v
                        } else {
                            Value::Commented(
                                Box::new(v),
                                crate::family::stat::time_comment(sec, ns),
                            )
                        }
                    }
                }
            };
            super::limited(c, vec![one(0), one(16)])
        });
        c.push(t);
        c.push(flags(AT_FLAGS, c.arg(3) & 0xffff_ffff, "AT_???"));
    }
}

fn xattr_flags(v: u64) -> Value {
    flags(
        &[(1, "XATTR_CREATE"), (2, "XATTR_REPLACE")],
        v & 0xffff_ffff,
        "XATTR_???",
    )
}

/// setxattr-style: (target, name, value, size, flags); `fd` selects an fd target.
fn setxattr_common(c: &mut Ctx<'_>, fd: bool) {
    if c.entering() {
        let t = if fd { c.fd(0) } else { c.path(0) };
        let v = [
            t,
            c.cstr(1),
            c.buf(2, c.arg(3)),
            Value::UInt(c.arg(3)),
            xattr_flags(c.arg(4)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn setxattr(c: &mut Ctx<'_>) {
    setxattr_common(c, false)
}
pub(crate) use setxattr as lsetxattr;

pub(crate) fn fsetxattr(c: &mut Ctx<'_>) {
    setxattr_common(c, true)
}

fn getxattr_common(c: &mut Ctx<'_>, fd: bool) {
    if c.entering() {
        let t = if fd { c.fd(0) } else { c.path(0) };
        let v = [t, c.cstr(1)];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.arg(2) == 0 {
            Value::Addr(0)
        } else {
            c.out_buf(2)
        };
        c.push(v);
        c.push(Value::UInt(c.arg(3)));
    }
}

pub(crate) fn getxattr(c: &mut Ctx<'_>) {
    getxattr_common(c, false)
}
pub(crate) use getxattr as lgetxattr;

pub(crate) fn fgetxattr(c: &mut Ctx<'_>) {
    getxattr_common(c, true)
}

fn listxattr_common(c: &mut Ctx<'_>, fd: bool) {
    if c.entering() {
        let t = if fd { c.fd(0) } else { c.path(0) };
        c.push(t);
        c.defer();
    } else {
        let v = if c.arg(1) == 0 {
            Value::Addr(0)
        } else {
            c.out_buf(1)
        };
        c.push(v);
        c.push(Value::UInt(c.arg(2)));
    }
}

pub(crate) fn listxattr(c: &mut Ctx<'_>) {
    listxattr_common(c, false)
}
pub(crate) use listxattr as llistxattr;

pub(crate) fn flistxattr(c: &mut Ctx<'_>) {
    listxattr_common(c, true)
}

pub(crate) fn removexattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.path(0), c.cstr(1)];
        c.args.extend(v);
    }
}
pub(crate) use removexattr as lremovexattr;

pub(crate) fn fremovexattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.cstr(1)];
        c.args.extend(v);
    }
}

pub(crate) fn umount2(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.path(0),
            flags(
                &[
                    (1, "MNT_FORCE"),
                    (2, "MNT_DETACH"),
                    (4, "MNT_EXPIRE"),
                    (8, "UMOUNT_NOFOLLOW"),
                ],
                c.arg(1) & 0xffff_ffff,
                "MNT_???",
            ),
        ];
        c.args.extend(v);
    }
}
