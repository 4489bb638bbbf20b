//! Decoders for less common calls: System V IPC, POSIX message queues,
//! keys, modules, mounts (old and new API), AIO and io_uring, splice
//! relatives, protection keys, landlock and other small families. Most
//! print scalar arguments and flag sets; structures are left as addresses.

use super::{int, long, ulong};
use crate::ctx::{flags, flags_tail, le32, lookup, xval, Ctx};
use crate::family::fs::open_flags;
use crate::family::mem::{map_flags, prot};
use crate::tables::xlat::*;
use crate::value::{RetValue, Value};

fn u32v(c: &Ctx<'_>, i: usize) -> Value {
    Value::UInt(c.arg(i) & 0xffff_ffff)
}

fn hex(c: &Ctx<'_>, i: usize) -> Value {
    Value::Hex(c.arg(i))
}

fn f32(c: &Ctx<'_>, i: usize, x: Xlat, unknown: &'static str) -> Value {
    flags(x, c.arg(i) & 0xffff_ffff, unknown)
}

fn x32(c: &Ctx<'_>, i: usize, x: Xlat, unknown: &'static str) -> Value {
    xval(x, c.arg(i) & 0xffff_ffff, unknown)
}

// ---- System V IPC --------------------------------------------------------

fn ipc_key(c: &Ctx<'_>, i: usize) -> Value {
    let k = c.arg(i) & 0xffff_ffff;
    if k == 0 {
        Value::Sym("IPC_PRIVATE")
    } else {
        Value::Hex(k)
    }
}

/// `IPC_CREAT|IPC_EXCL|0600` style: named bits, leftovers, then the mode.
fn ipc_flags(v: u64, x: Xlat, huge_shift: Option<&str>) -> Value {
    let v = v & 0xffff_ffff;
    let mut s = String::new();
    let mut bits = v & !0o777;
    let huge = if huge_shift.is_some() { bits >> 26 } else { 0 };
    if huge_shift.is_some() {
        bits &= (1 << 26) - 1;
    }
    if bits != 0 {
        s.push_str(&flags_tail(x, bits));
        s.push('|');
    }
    if huge != 0 {
        s.push_str(&format!("{huge}<<{}|", huge_shift.unwrap_or("")));
    }
    s.push_str(&format!("0{:02o}", v & 0o777));
    Value::Raw(s)
}

static IPC_GET_FLAGS: Xlat = &[
    (0o1000, "IPC_CREAT"),
    (0o2000, "IPC_EXCL"),
    (0o4000, "IPC_NOWAIT"),
];
static SHMGET_FLAGS: Xlat = &[
    (0o1000, "IPC_CREAT"),
    (0o2000, "IPC_EXCL"),
    (0o4000, "SHM_HUGETLB"),
    (0o10000, "SHM_NORESERVE"),
];
static SHMAT_FLAGS: Xlat = &[
    (0o10000, "SHM_RDONLY"),
    (0o20000, "SHM_RND"),
    (0o40000, "SHM_REMAP"),
    (0o100000, "SHM_EXEC"),
];
static MSG_IPC_FLAGS: Xlat = &[
    (0o10000, "MSG_NOERROR"),
    (0o20000, "MSG_EXCEPT"),
    (0o40000, "MSG_COPY"),
    (0o4000, "IPC_NOWAIT"),
];
static SHMCTL_CMDS: Xlat = &[
    (0, "IPC_RMID"),
    (1, "IPC_SET"),
    (2, "IPC_STAT"),
    (3, "IPC_INFO"),
    (11, "SHM_LOCK"),
    (12, "SHM_UNLOCK"),
    (13, "SHM_STAT"),
    (14, "SHM_INFO"),
    (15, "SHM_STAT_ANY"),
];
static SEMCTL_CMDS: Xlat = &[
    (0, "IPC_RMID"),
    (1, "IPC_SET"),
    (2, "IPC_STAT"),
    (3, "IPC_INFO"),
    (11, "GETPID"),
    (12, "GETVAL"),
    (13, "GETALL"),
    (14, "GETNCNT"),
    (15, "GETZCNT"),
    (16, "SETVAL"),
    (17, "SETALL"),
    (18, "SEM_STAT"),
    (19, "SEM_INFO"),
    (20, "SEM_STAT_ANY"),
];
static MSGCTL_CMDS: Xlat = &[
    (0, "IPC_RMID"),
    (1, "IPC_SET"),
    (2, "IPC_STAT"),
    (3, "IPC_INFO"),
    (11, "MSG_STAT"),
    (12, "MSG_INFO"),
    (13, "MSG_STAT_ANY"),
];

/// An IPC control command, with `IPC_64|` when that bit is set.
fn ipc_cmd(v: u64, x: Xlat, unknown: &'static str) -> Value {
    let v = v & 0xffff_ffff;
    if v & 0x100 == 0 {
        return xval(x, v, unknown);
    }
    let rest = v & !0x100;
    let r = match lookup(x, rest) {
        Some(n) => n.to_string(),
        None => format!("{rest:#x} /* {unknown} */"),
    };
    Value::Raw(format!("IPC_64|{r}"))
}

pub(crate) fn shmget(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            ipc_key(c, 0),
            ulong(c, 1),
            ipc_flags(c.arg(2), SHMGET_FLAGS, Some("SHM_HUGE_SHIFT")),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn shmat(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [int(c, 0), c.addr(1), f32(c, 2, SHMAT_FLAGS, "SHM_???")];
        c.args.extend(v);
    } else {
        c.ret_hex();
    }
}

pub(crate) fn shmdt(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(c.addr(0));
    }
}

pub(crate) fn shmctl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            ipc_cmd(c.arg(1), SHMCTL_CMDS, "SHM_???"),
            c.addr(2),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn semget(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            ipc_key(c, 0),
            int(c, 1),
            ipc_flags(c.arg(2), IPC_GET_FLAGS, None),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn semop(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), c.addr(1), u32v(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn semtimedop(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            c.addr(1),
            u32v(c, 2),
            super::timespec_at(c, c.arg(3)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn semctl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            int(c, 1),
            ipc_cmd(c.arg(2), SEMCTL_CMDS, "SEM_???"),
            hex(c, 3),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn msgget(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [ipc_key(c, 0), ipc_flags(c.arg(1), IPC_GET_FLAGS, None)];
        c.args.extend(v);
    }
}

pub(crate) fn msgsnd(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            c.addr(1),
            ulong(c, 2),
            f32(c, 3, MSG_IPC_FLAGS, "MSG_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn msgrcv(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            c.addr(1),
            ulong(c, 2),
            long(c, 3),
            f32(c, 4, MSG_IPC_FLAGS, "MSG_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn msgctl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            ipc_cmd(c.arg(1), MSGCTL_CMDS, "MSG_???"),
            c.addr(2),
        ];
        c.args.extend(v);
    }
}

// ---- POSIX message queues ------------------------------------------------

pub(crate) fn mq_open(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.arg(1) & 0xffff_ffff;
        let mut v = vec![c.cstr(0), open_flags(f)];
        if f & 0o100 != 0 {
            v.push(crate::ctx::mode(c.arg(2) & 0xffff, false));
            v.push(c.addr(3));
        }
        c.args.extend(v);
    }
}

pub(crate) fn mq_unlink(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(c.cstr(0));
    }
}

pub(crate) fn mq_timedsend(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.buf(1, c.arg(2)),
            ulong(c, 2),
            u32v(c, 3),
            super::timespec_at(c, c.arg(4)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mq_timedreceive(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.fd(0));
        c.defer();
    } else {
        let v = [
            c.out_buf(1),
            ulong(c, 2),
            c.addr(3),
            super::timespec_at(c, c.arg(4)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mq_notify(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.addr(1)];
        c.args.extend(v);
    }
}

pub(crate) fn mq_getsetattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.addr(1), c.addr(2)];
        c.args.extend(v);
    }
}

// ---- keys ----------------------------------------------------------------

fn keyring(c: &Ctx<'_>, i: usize) -> Value {
    let k = c.int(i);
    let n = match k {
        -1 => "KEY_SPEC_THREAD_KEYRING",
        -2 => "KEY_SPEC_PROCESS_KEYRING",
        -3 => "KEY_SPEC_SESSION_KEYRING",
        -4 => "KEY_SPEC_USER_KEYRING",
        -5 => "KEY_SPEC_USER_SESSION_KEYRING",
        -6 => "KEY_SPEC_GROUP_KEYRING",
        -7 => "KEY_SPEC_REQKEY_AUTH_KEY",
        -8 => "KEY_SPEC_REQUESTOR_KEYRING",
        _ => return Value::Int(k as i64),
    };
    Value::Sym(n)
}

pub(crate) fn add_key(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.cstr(0),
            c.cstr(1),
            c.buf(2, c.arg(3)),
            ulong(c, 3),
            keyring(c, 4),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn request_key(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.cstr(0), c.cstr(1), c.cstr(2), keyring(c, 3)];
        c.args.extend(v);
    }
}

// ---- modules, system -----------------------------------------------------

pub(crate) fn init_module(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1), c.cstr(2)];
        c.args.extend(v);
    }
}

pub(crate) fn delete_module(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.cstr(0),
            f32(
                c,
                1,
                &[(0o4000, "O_NONBLOCK"), (0o1000, "O_TRUNC")],
                "O_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn finit_module(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.cstr(1),
            f32(
                c,
                2,
                &[
                    (1, "MODULE_INIT_IGNORE_MODVERSIONS"),
                    (2, "MODULE_INIT_IGNORE_VERMAGIC"),
                    (4, "MODULE_INIT_COMPRESSED_FILE"),
                ],
                "MODULE_INIT_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn syslog(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let t = c.int(0);
        let names = [
            "SYSLOG_ACTION_CLOSE",
            "SYSLOG_ACTION_OPEN",
            "SYSLOG_ACTION_READ",
            "SYSLOG_ACTION_READ_ALL",
            "SYSLOG_ACTION_READ_CLEAR",
            "SYSLOG_ACTION_CLEAR",
            "SYSLOG_ACTION_CONSOLE_OFF",
            "SYSLOG_ACTION_CONSOLE_ON",
            "SYSLOG_ACTION_CONSOLE_LEVEL",
            "SYSLOG_ACTION_SIZE_UNREAD",
            "SYSLOG_ACTION_SIZE_BUFFER",
        ];
        let tv = match names.get(t as usize) {
            Some(n) if t >= 0 => Value::Sym(n),
            _ => Value::Commented(Box::new(Value::Int(t as i64)), "SYSLOG_ACTION_???".into()),
        };
        let v = [tv, c.addr(1), int(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn sethostname(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let len = c.arg(1) & 0xffff_ffff;
        let v = [c.buf(0, len), Value::UInt(len)];
        c.args.extend(v);
    }
}
pub(crate) use sethostname as setdomainname;

pub(crate) fn iopl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(int(c, 0));
    }
}

pub(crate) fn ioperm(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [hex(c, 0), hex(c, 1), int(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn ustat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let d = c.arg(0) & 0xffff_ffff;
        let major = (d >> 8) & 0xfff;
        let minor = (d & 0xff) | ((d >> 12) & 0xfff00);
        let h = |v: u64| {
            if v == 0 {
                "0".to_string()
            } else {
                format!("{v:#x}")
            }
        };
        let v = [
            Value::Raw(format!("makedev({}, {})", h(major), h(minor))),
            c.addr(1),
        ];
        c.args.extend(v);
    }
}

static MS_FLAGS: Xlat = &[
    (1, "MS_RDONLY"),
    (2, "MS_NOSUID"),
    (4, "MS_NODEV"),
    (8, "MS_NOEXEC"),
    (16, "MS_SYNCHRONOUS"),
    (32, "MS_REMOUNT"),
    (64, "MS_MANDLOCK"),
    (128, "MS_DIRSYNC"),
    (256, "MS_NOSYMFOLLOW"),
    (1024, "MS_NOATIME"),
    (2048, "MS_NODIRATIME"),
    (4096, "MS_BIND"),
    (8192, "MS_MOVE"),
    (16384, "MS_REC"),
    (32768, "MS_SILENT"),
    (1 << 16, "MS_POSIXACL"),
    (1 << 17, "MS_UNBINDABLE"),
    (1 << 18, "MS_PRIVATE"),
    (1 << 19, "MS_SLAVE"),
    (1 << 20, "MS_SHARED"),
    (1 << 21, "MS_RELATIME"),
    (1 << 22, "MS_KERNMOUNT"),
    (1 << 23, "MS_I_VERSION"),
    (1 << 24, "MS_STRICTATIME"),
    (1 << 25, "MS_LAZYTIME"),
    (1 << 26, "MS_SUBMOUNT"),
    (1 << 27, "MS_NOREMOTELOCK"),
    (1 << 28, "MS_NOSEC"),
    (1 << 29, "MS_BORN"),
    (1 << 30, "MS_ACTIVE"),
    (1 << 31, "MS_NOUSER"),
];

pub(crate) fn mount(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.arg(3);
        let fv = if f >> 16 == 0xc0ed {
            match flags(MS_FLAGS, f & 0xffff, "MS_???") {
                Value::Hex(0) => Value::Sym("MS_MGC_VAL"),
                other => Value::Raw(format!(
                    "MS_MGC_VAL|{}",
                    crate::text::value_to_string(&other, &crate::DecodeOptions::default())
                )),
            }
        } else {
            flags(MS_FLAGS, f, "MS_???")
        };
        let fstype = if f & (32 | 4096 | 8192) != 0 && c.arg(2) == 0 {
            Value::Addr(0)
        } else {
            c.cstr(2)
        };
        let data = if c.arg(4) == 0 {
            Value::Addr(0)
        } else {
            c.cstr(4)
        };
        let v = [c.path(0), c.path(1), fstype, fv, data];
        c.args.extend(v);
    }
}

pub(crate) fn swapon(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.arg(1) & 0xffff_ffff;
        let mut s = String::new();
        let bits = f & !0x7fff;
        if bits != 0 {
            s.push_str(&flags_tail(
                &[
                    (0x8000, "SWAP_FLAG_PREFER"),
                    (0x10000, "SWAP_FLAG_DISCARD"),
                    (0x20000, "SWAP_FLAG_DISCARD_ONCE"),
                    (0x40000, "SWAP_FLAG_DISCARD_PAGES"),
                ],
                bits,
            ));
        }
        if f & 0x7fff != 0 || bits == 0 {
            if !s.is_empty() {
                s.push('|');
            }
            s.push_str(&(f & 0x7fff).to_string());
        }
        let v = [c.path(0), Value::Raw(s)];
        c.args.extend(v);
    }
}

pub(crate) fn swapoff(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(c.path(0));
    }
}

// ---- fd plumbing ---------------------------------------------------------

static SPLICE_FLAGS: Xlat = &[
    (1, "SPLICE_F_MOVE"),
    (2, "SPLICE_F_NONBLOCK"),
    (4, "SPLICE_F_MORE"),
    (8, "SPLICE_F_GIFT"),
];

pub(crate) fn readahead(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), long(c, 1), ulong(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn tee(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.fd(1),
            ulong(c, 2),
            f32(c, 3, SPLICE_FLAGS, "SPLICE_F_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn vmsplice(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.addr(1),
            ulong(c, 2),
            f32(c, 3, SPLICE_FLAGS, "SPLICE_F_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn sync_file_range(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            long(c, 1),
            long(c, 2),
            f32(
                c,
                3,
                &[
                    (1, "SYNC_FILE_RANGE_WAIT_BEFORE"),
                    (2, "SYNC_FILE_RANGE_WRITE"),
                    (4, "SYNC_FILE_RANGE_WAIT_AFTER"),
                ],
                "SYNC_FILE_RANGE_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn fallocate(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            f32(
                c,
                1,
                &[
                    (1, "FALLOC_FL_KEEP_SIZE"),
                    (2, "FALLOC_FL_PUNCH_HOLE"),
                    (4, "FALLOC_FL_NO_HIDE_STALE"),
                    (8, "FALLOC_FL_COLLAPSE_RANGE"),
                    (0x10, "FALLOC_FL_ZERO_RANGE"),
                    (0x20, "FALLOC_FL_INSERT_RANGE"),
                    (0x40, "FALLOC_FL_UNSHARE_RANGE"),
                ],
                "FALLOC_FL_???",
            ),
            long(c, 2),
            long(c, 3),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn userfaultfd(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(f32(
            c,
            0,
            &[
                (1, "UFFD_USER_MODE_ONLY"),
                (0o4000, "O_NONBLOCK"),
                (0o2000000, "O_CLOEXEC"),
            ],
            "O_???",
        ));
    }
}

pub(crate) fn memfd_secret(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(f32(c, 0, &[(0o2000000, "O_CLOEXEC")], "O_???"));
    }
}

pub(crate) fn name_to_handle_at(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            c.addr(2),
            c.addr(3),
            f32(
                c,
                4,
                &[(0x400, "AT_SYMLINK_FOLLOW"), (0x1000, "AT_EMPTY_PATH")],
                "AT_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn open_by_handle_at(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.addr(1), open_flags(c.arg(2) & 0xffff_ffff)];
        c.args.extend(v);
    }
}

// ---- memory --------------------------------------------------------------

pub(crate) fn mlock2(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            f32(c, 2, &[(1, "MLOCK_ONFAULT")], "MLOCK_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn pkey_mprotect(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            prot(c.arg(2) & 0xffff_ffff),
            int(c, 3),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn pkey_alloc(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            Value::Hex(c.arg(0) & 0xffff_ffff),
            f32(
                c,
                1,
                &[
                    (1, "PKEY_DISABLE_ACCESS"),
                    (2, "PKEY_DISABLE_WRITE"),
                    (4, "PKEY_DISABLE_EXECUTE"),
                ],
                "PKEY_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn pkey_free(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(int(c, 0));
    }
}

pub(crate) fn remap_file_pages(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            prot(c.arg(2) & 0xffff_ffff),
            ulong(c, 3),
            map_flags(c.arg(4)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn membarrier(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            x32(
                c,
                0,
                &[
                    (0, "MEMBARRIER_CMD_QUERY"),
                    (1, "MEMBARRIER_CMD_GLOBAL"),
                    (2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
                    (4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
                    (8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
                    (16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
                    (32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
                    (64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"),
                    (128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
                    (256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
                ],
                "MEMBARRIER_CMD_???",
            ),
            f32(
                c,
                1,
                &[(1, "MEMBARRIER_CMD_FLAG_CPU")],
                "MEMBARRIER_CMD_FLAG_???",
            ),
            int(c, 2),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn migrate_pages(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), ulong(c, 1), c.addr(2), c.addr(3)];
        c.args.extend(v);
    }
}

pub(crate) fn process_madvise(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.addr(1),
            ulong(c, 2),
            x32(c, 3, MADV, "MADV_???"),
            hex(c, 4),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn process_mrelease(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), Value::Hex(c.arg(1) & 0xffff_ffff)];
        c.args.extend(v);
    }
}

pub(crate) fn set_mempolicy_home_node(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1), ulong(c, 2), hex(c, 3)];
        c.args.extend(v);
    }
}

// ---- AIO and io_uring ----------------------------------------------------

pub(crate) fn io_setup(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(u32v(c, 0));
        c.defer();
    } else {
        let a = c.arg(1);
        let v = if c.failed() || a == 0 {
            Value::Addr(a)
        } else {
            match c.read_u64(a) {
                Some(x) => Value::Array {
                    items: vec![Value::Hex(x)],
                    more: false,
                },
                None => Value::Unavailable(a),
            }
        };
        c.push(v);
    }
}

pub(crate) fn io_destroy(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(c.addr(0));
    }
}

pub(crate) fn io_submit(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), long(c, 1), c.addr(2)];
        c.args.extend(v);
    }
}

pub(crate) fn io_cancel(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), c.addr(1), c.addr(2)];
        c.args.extend(v);
    }
}

pub(crate) fn io_getevents(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [c.addr(0), long(c, 1), long(c, 2)];
        c.args.extend(v);
        c.defer();
    } else {
        let v = [c.addr(3), super::timespec_at(c, c.arg(4))];
        c.args.extend(v);
    }
}

pub(crate) fn io_uring_enter(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            u32v(c, 1),
            u32v(c, 2),
            f32(
                c,
                3,
                &[
                    (1, "IORING_ENTER_GETEVENTS"),
                    (2, "IORING_ENTER_SQ_WAKEUP"),
                    (4, "IORING_ENTER_SQ_WAIT"),
                    (8, "IORING_ENTER_EXT_ARG"),
                    (16, "IORING_ENTER_REGISTERED_RING"),
                ],
                "IORING_ENTER_???",
            ),
            c.addr(4),
            ulong(c, 5),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn io_uring_register(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let names = [
            "IORING_REGISTER_BUFFERS",
            "IORING_UNREGISTER_BUFFERS",
            "IORING_REGISTER_FILES",
            "IORING_UNREGISTER_FILES",
            "IORING_REGISTER_EVENTFD",
            "IORING_UNREGISTER_EVENTFD",
            "IORING_REGISTER_FILES_UPDATE",
            "IORING_REGISTER_EVENTFD_ASYNC",
            "IORING_REGISTER_PROBE",
            "IORING_REGISTER_PERSONALITY",
            "IORING_UNREGISTER_PERSONALITY",
            "IORING_REGISTER_RESTRICTIONS",
            "IORING_REGISTER_ENABLE_RINGS",
            "IORING_REGISTER_FILES2",
            "IORING_REGISTER_FILES_UPDATE2",
            "IORING_REGISTER_BUFFERS2",
            "IORING_REGISTER_BUFFERS_UPDATE",
            "IORING_REGISTER_IOWQ_AFF",
            "IORING_UNREGISTER_IOWQ_AFF",
            "IORING_REGISTER_IOWQ_MAX_WORKERS",
            "IORING_REGISTER_RING_FDS",
            "IORING_UNREGISTER_RING_FDS",
        ];
        let op = c.arg(1) & 0xffff_ffff;
        let opv = match names.get(op as usize) {
            Some(n) => Value::Sym(n),
            None => Value::Commented(Box::new(Value::Hex(op)), "IORING_REGISTER_???".into()),
        };
        let v = [c.fd(0), opv, c.addr(2), u32v(c, 3)];
        c.args.extend(v);
    }
}

// ---- new mount API, landlock ---------------------------------------------

pub(crate) fn open_tree(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.arg(2) & 0xffff_ffff;
        let mut names = Vec::new();
        if f & 1 != 0 {
            names.push("OPEN_TREE_CLONE");
        }
        if f & 0o2000000 != 0 {
            names.push("OPEN_TREE_CLOEXEC");
        }
        let rest = f & !(1 | 0o2000000);
        let fv = if rest == 0 && names.is_empty() {
            Value::Hex(0)
        } else {
            let mut s = names.join("|");
            if rest != 0 {
                if !s.is_empty() {
                    s.push('|');
                }
                s.push_str(&flags_tail(AT_FLAGS, rest));
            }
            Value::Raw(s)
        };
        let v = [c.dirfd(0), c.path(1), fv];
        c.args.extend(v);
    }
}

pub(crate) fn move_mount(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            c.dirfd(2),
            c.path(3),
            f32(
                c,
                4,
                &[
                    (1, "MOVE_MOUNT_F_SYMLINKS"),
                    (2, "MOVE_MOUNT_F_AUTOMOUNTS"),
                    (4, "MOVE_MOUNT_F_EMPTY_PATH"),
                    (0x10, "MOVE_MOUNT_T_SYMLINKS"),
                    (0x20, "MOVE_MOUNT_T_AUTOMOUNTS"),
                    (0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
                    (0x100, "MOVE_MOUNT_SET_GROUP"),
                    (0x200, "MOVE_MOUNT_BENEATH"),
                ],
                "MOVE_MOUNT_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn fsopen(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.cstr(0), f32(c, 1, &[(1, "FSOPEN_CLOEXEC")], "FSOPEN_???")];
        c.args.extend(v);
    }
}

pub(crate) fn fsconfig(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let cmd = c.arg(1) & 0xffff_ffff;
        let cmds: Xlat = &[
            (0, "FSCONFIG_SET_FLAG"),
            (1, "FSCONFIG_SET_STRING"),
            (2, "FSCONFIG_SET_BINARY"),
            (3, "FSCONFIG_SET_PATH"),
            (4, "FSCONFIG_SET_PATH_EMPTY"),
            (5, "FSCONFIG_SET_FD"),
            (6, "FSCONFIG_CMD_CREATE"),
            (7, "FSCONFIG_CMD_RECONFIGURE"),
            (8, "FSCONFIG_CMD_CREATE_EXCL"),
        ];
        let known = lookup(cmds, cmd).is_some();
        let key = if known && c.arg(2) != 0 {
            c.cstr(2)
        } else {
            c.addr(2)
        };
        let value = match cmd {
            1 => c.cstr(3),
            3 | 4 => c.path(3),
            _ => c.addr(3),
        };
        let v = [
            c.fd(0),
            xval(cmds, cmd, "FSCONFIG_???"),
            key,
            value,
            int(c, 4),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn fsmount(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            f32(c, 1, &[(1, "FSMOUNT_CLOEXEC")], "FSMOUNT_???"),
            f32(
                c,
                2,
                &[
                    (1, "MOUNT_ATTR_RDONLY"),
                    (2, "MOUNT_ATTR_NOSUID"),
                    (4, "MOUNT_ATTR_NODEV"),
                    (8, "MOUNT_ATTR_NOEXEC"),
                    (0x10, "MOUNT_ATTR_NOATIME"),
                    (0x20, "MOUNT_ATTR_STRICTATIME"),
                    (0x80, "MOUNT_ATTR_NODIRATIME"),
                    (0x100000, "MOUNT_ATTR_IDMAP"),
                    (0x200000, "MOUNT_ATTR_NOSYMFOLLOW"),
                ],
                "MOUNT_ATTR_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn fspick(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            f32(
                c,
                2,
                &[
                    (1, "FSPICK_CLOEXEC"),
                    (2, "FSPICK_SYMLINK_NOFOLLOW"),
                    (4, "FSPICK_NO_AUTOMOUNT"),
                    (8, "FSPICK_EMPTY_PATH"),
                ],
                "FSPICK_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mount_setattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            f32(
                c,
                2,
                &[
                    (0x100, "AT_SYMLINK_NOFOLLOW"),
                    (0x800, "AT_NO_AUTOMOUNT"),
                    (0x1000, "AT_EMPTY_PATH"),
                    (0x8000, "AT_RECURSIVE"),
                ],
                "AT_???",
            ),
            c.addr(3),
            ulong(c, 4),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn landlock_create_ruleset(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            f32(
                c,
                2,
                &[(1, "LANDLOCK_CREATE_RULESET_VERSION")],
                "LANDLOCK_CREATE_RULESET_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn landlock_add_rule(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            x32(
                c,
                1,
                &[
                    (1, "LANDLOCK_RULE_PATH_BENEATH"),
                    (2, "LANDLOCK_RULE_NET_PORT"),
                ],
                "LANDLOCK_RULE_???",
            ),
            c.addr(2),
            Value::Hex(c.arg(3) & 0xffff_ffff),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn landlock_restrict_self(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), Value::Hex(c.arg(1) & 0xffff_ffff)];
        c.args.extend(v);
    }
}

// ---- misc ----------------------------------------------------------------

pub(crate) fn kcmp(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            int(c, 1),
            x32(
                c,
                2,
                &[
                    (0, "KCMP_FILE"),
                    (1, "KCMP_VM"),
                    (2, "KCMP_FILES"),
                    (3, "KCMP_FS"),
                    (4, "KCMP_SIGHAND"),
                    (5, "KCMP_IO"),
                    (6, "KCMP_SYSVSEM"),
                    (7, "KCMP_EPOLL_TFD"),
                ],
                "KCMP_???",
            ),
            hex(c, 3),
            hex(c, 4),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn seccomp(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            x32(
                c,
                0,
                &[
                    (0, "SECCOMP_SET_MODE_STRICT"),
                    (1, "SECCOMP_SET_MODE_FILTER"),
                    (2, "SECCOMP_GET_ACTION_AVAIL"),
                    (3, "SECCOMP_GET_NOTIF_SIZES"),
                ],
                "SECCOMP_SET_MODE_???",
            ),
            f32(
                c,
                1,
                &[
                    (1, "SECCOMP_FILTER_FLAG_TSYNC"),
                    (2, "SECCOMP_FILTER_FLAG_LOG"),
                    (4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
                    (8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
                    (16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"),
                ],
                "SECCOMP_FILTER_FLAG_???",
            ),
            c.addr(2),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn sched_setattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), c.addr(1), u32v(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn sched_getattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), c.addr(1), u32v(c, 2), u32v(c, 3)];
        c.args.extend(v);
    }
}

pub(crate) fn futimesat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.dirfd(0), c.path(1), timevals_at(c, c.arg(2))];
        c.args.extend(v);
    }
}

pub(crate) fn get_robust_list(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
    } else {
        for i in 1..3 {
            let a = c.arg(i);
            let v = if c.failed() || a == 0 {
                Value::Addr(a)
            } else {
                match c.read_u64(a) {
                    Some(x) if i == 1 => Value::Array {
                        items: vec![Value::Addr(x)],
                        more: false,
                    },
                    Some(x) => Value::Array {
                        items: vec![Value::UInt(x)],
                        more: false,
                    },
                    None => Value::Unavailable(a),
                }
            };
            c.push(v);
        }
    }
}

pub(crate) fn futex_waitv(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            u32v(c, 1),
            Value::Hex(c.arg(2) & 0xffff_ffff),
            super::timespec_at(c, c.arg(3)),
            crate::family::time::clockid(c.int(4)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn ioprio_get(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [x32(c, 0, IOPRIO_WHO, "IOPRIO_WHO_???"), int(c, 1)];
        c.args.extend(v);
    }
}

static IOPRIO_WHO: Xlat = &[
    (1, "IOPRIO_WHO_PROCESS"),
    (2, "IOPRIO_WHO_PGRP"),
    (3, "IOPRIO_WHO_USER"),
];

pub(crate) fn ioprio_set(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let p = c.arg(2) & 0xffff_ffff;
        let class = p >> 13;
        let cls = match lookup(
            &[
                (0, "IOPRIO_CLASS_NONE"),
                (1, "IOPRIO_CLASS_RT"),
                (2, "IOPRIO_CLASS_BE"),
                (3, "IOPRIO_CLASS_IDLE"),
            ],
            class,
        ) {
            Some(n) => n.to_string(),
            None => format!("{class:#x} /* IOPRIO_CLASS_??? */"),
        };
        let v = [
            x32(c, 0, IOPRIO_WHO, "IOPRIO_WHO_???"),
            int(c, 1),
            Value::Raw(format!("IOPRIO_PRIO_VALUE({cls}, {})", p & 0x1fff)),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn process_vm_readv(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
        return;
    }
    let local = if c.failed() {
        c.addr(1)
    } else {
        super::io_iov_total(c, c.arg(1), c.arg(2), c.retval().max(0) as u64)
    };
    let remote = remote_iov(c, 3, 4);
    let v = [local, ulong(c, 2), remote, ulong(c, 4), ulong(c, 5)];
    c.args.extend(v);
}

pub(crate) fn process_vm_writev(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            int(c, 0),
            super::io_iov_total(c, c.arg(1), c.arg(2), u64::MAX),
            ulong(c, 2),
            remote_iov(c, 3, 4),
            ulong(c, 4),
            ulong(c, 5),
        ];
        c.args.extend(v);
    }
}

/// An iovec array describing another process's memory: addresses only.
fn remote_iov(c: &Ctx<'_>, a: usize, n: usize) -> Value {
    super::array_at(c, c.arg(a), c.arg(n), 16, |_, b| {
        crate::ctx::st(vec![
            ("iov_base", Value::Addr(crate::ctx::le64(b, 0))),
            ("iov_len", Value::UInt(crate::ctx::le64(b, 8))),
        ])
    })
}

fn mmsg_flags(c: &Ctx<'_>, i: usize) -> Value {
    f32(c, i, MSG_FLAGS, "MSG_???")
}

pub(crate) fn sendmmsg(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.addr(1), u32v(c, 2), mmsg_flags(c, 3)];
        c.args.extend(v);
    }
}

pub(crate) fn recvmmsg(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.fd(0));
        c.defer();
    } else {
        let v = [
            c.addr(1),
            u32v(c, 2),
            mmsg_flags(c, 3),
            super::timespec_at(c, c.arg(4)),
        ];
        c.args.extend(v);
    }
}

// ---- more small calls ----------------------------------------------------

pub(crate) fn times(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(0)
        } else {
            c.struct_at(c.arg(0), 32, |_, b| {
                let f = |o| Value::UInt(crate::ctx::le64(b, o));
                crate::ctx::st(vec![
                    ("tms_utime", f(0)),
                    ("tms_stime", f(8)),
                    ("tms_cutime", f(16)),
                    ("tms_cstime", f(24)),
                ])
            })
        };
        c.push(v);
    }
}

fn cap_header(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 8, |_, b| {
        let ver = crate::ctx::le32(b, 0) as u64;
        crate::ctx::st(vec![
            (
                "version",
                xval(
                    &[
                        (0x19980330, "_LINUX_CAPABILITY_VERSION_1"),
                        (0x20071026, "_LINUX_CAPABILITY_VERSION_2"),
                        (0x20080522, "_LINUX_CAPABILITY_VERSION_3"),
                    ],
                    ver,
                    "_LINUX_CAPABILITY_VERSION_???",
                ),
            ),
            ("pid", Value::Int(crate::ctx::le32(b, 4) as i32 as i64)),
        ])
    })
}

/// A capability set: `1<<CAP_CHOWN|1<<CAP_KILL`, or 0.
fn cap_set(v: u64) -> Value {
    if v == 0 {
        return Value::UInt(0);
    }
    let mut parts = Vec::new();
    let mut rest = v;
    for &(bit, name) in CAPS {
        if v & (1 << bit) != 0 {
            parts.push(format!("1<<{name}"));
            rest &= !(1 << bit);
        }
    }
    if rest != 0 {
        parts.push(format!("{rest:#x}"));
    }
    Value::Raw(parts.join("|"))
}

fn cap_data(c: &Ctx<'_>, hdr: u64, addr: u64) -> Value {
    let two = c.read_u32(hdr).is_some_and(|v| v != 0x19980330);
    let n = if two { 24 } else { 12 };
    c.struct_at(addr, n, |_, b| {
        let w = |o: usize| {
            let lo = crate::ctx::le32(b, o) as u64;
            let hi = if two {
                crate::ctx::le32(b, o + 12) as u64
            } else {
                0
            };
            lo | hi << 32
        };
        crate::ctx::st(vec![
            ("effective", cap_set(w(0))),
            ("permitted", cap_set(w(4))),
            ("inheritable", cap_set(w(8))),
        ])
    })
}

pub(crate) fn capget(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(cap_header(c, c.arg(0)));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            cap_data(c, c.arg(0), c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn capset(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [cap_header(c, c.arg(0)), cap_data(c, c.arg(0), c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn getcpu(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else {
        for i in 0..2 {
            let v = if c.failed() || c.arg(i) == 0 {
                c.addr(i)
            } else {
                super::int_array_at(c, c.arg(i), 1)
            };
            c.push(match v {
                Value::Array { items, more } => Value::Array {
                    items: items
                        .into_iter()
                        .map(|x| match x {
                            Value::Int(n) => Value::UInt(n as u32 as u64),
                            o => o,
                        })
                        .collect(),
                    more,
                },
                o => o,
            });
        }
        c.push(c.addr(2));
    }
}

pub(crate) fn pivot_root(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.path(0), c.path(1)];
        c.args.extend(v);
    }
}

pub(crate) fn acct(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(c.path(0));
    }
}
pub(crate) use acct as uselib;

pub(crate) fn settimeofday(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let tz = c.struct_at(c.arg(1), 8, |_, b| {
            crate::ctx::st(vec![
                (
                    "tz_minuteswest",
                    Value::Int(crate::ctx::le32(b, 0) as i32 as i64),
                ),
                (
                    "tz_dsttime",
                    Value::Int(crate::ctx::le32(b, 4) as i32 as i64),
                ),
            ])
        });
        let v = [super::timeval_at(c, c.arg(0)), tz];
        c.args.extend(v);
    }
}

pub(crate) fn reboot(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let cmd = c.arg(2) & 0xffff_ffff;
        let mut v = vec![
            x32(
                c,
                0,
                &[(0xfee1dead, "LINUX_REBOOT_MAGIC1")],
                "LINUX_REBOOT_MAGIC_???",
            ),
            x32(
                c,
                1,
                &[
                    (672274793, "LINUX_REBOOT_MAGIC2"),
                    (85072278, "LINUX_REBOOT_MAGIC2A"),
                    (369367448, "LINUX_REBOOT_MAGIC2B"),
                    (537993216, "LINUX_REBOOT_MAGIC2C"),
                ],
                "LINUX_REBOOT_MAGIC_???",
            ),
            xval(
                &[
                    (0x1234567, "LINUX_REBOOT_CMD_RESTART"),
                    (0xcdef0123, "LINUX_REBOOT_CMD_HALT"),
                    (0x89abcdef, "LINUX_REBOOT_CMD_CAD_ON"),
                    (0, "LINUX_REBOOT_CMD_CAD_OFF"),
                    (0x4321fedc, "LINUX_REBOOT_CMD_POWER_OFF"),
                    (0xa1b2c3d4, "LINUX_REBOOT_CMD_RESTART2"),
                    (0xd000fce2, "LINUX_REBOOT_CMD_SW_SUSPEND"),
                    (0x45584543, "LINUX_REBOOT_CMD_KEXEC"),
                ],
                cmd,
                "LINUX_REBOOT_CMD_???",
            ),
        ];
        if cmd == 0xa1b2c3d4 {
            v.push(c.cstr(3));
        }
        c.args.extend(v);
    }
}

/// `struct user_desc` as strace prints it: `{entry_number=-1,
/// base_addr=0x85d6380, limit=0x0fffff, seg_32bit=1, contents=0,
/// read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}`
/// (hex fields as `%#08x`; `lm` only for 64-bit tracees).
fn user_desc(c: &Ctx<'_>, addr: u64) -> Value {
    let lm = c.call.abi != crate::Abi::I386;
    c.struct_at(addr, 16, |_, b| {
        let hex8 = |v: u32| {
            if v == 0 {
                Value::Raw("00000000".into())
            } else {
                Value::Raw(format!("{v:#08x}"))
            }
        };
        let bits = le32(b, 12);
        let bit =
            |shift: u32, width: u32| Value::UInt(((bits >> shift) & ((1 << width) - 1)) as u64);
        let mut f = vec![
            ("entry_number", Value::Int(le32(b, 0) as i32 as i64)),
            ("base_addr", hex8(le32(b, 4))),
            ("limit", hex8(le32(b, 8))),
            ("seg_32bit", bit(0, 1)),
            ("contents", bit(1, 2)),
            ("read_exec_only", bit(3, 1)),
            ("limit_in_pages", bit(4, 1)),
            ("seg_not_present", bit(5, 1)),
            ("useable", bit(6, 1)),
        ];
        if lm {
            f.push(("lm", bit(7, 1)));
        }
        crate::ctx::st(f)
    })
}

/// set_thread_area: the descriptor at entry; on success the entry number
/// the kernel chose as the return value's comment, `= 0 (entry_number=12)`.
pub(crate) fn set_thread_area(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = user_desc(c, c.arg(0));
        c.push(v);
    } else if !c.failed() && c.arg(0) != 0 {
        if let Some(n) = c.read_u32(c.arg(0)) {
            let r = c.retval();
            c.set_ret(RetValue::Commented(
                Box::new(RetValue::Int(r)),
                format!("entry_number={n}"),
            ));
        }
    }
}

/// get_thread_area: the descriptor, filled in by the call, at exit.
pub(crate) fn get_thread_area(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else if c.failed() {
        c.push(c.addr(0));
    } else {
        let v = user_desc(c, c.arg(0));
        c.push(v);
    }
}

pub(crate) fn fanotify_init(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.arg(0) & 0xffff_ffff;
        let class = match f & 0xc {
            0 => "FAN_CLASS_NOTIF".to_string(),
            4 => "FAN_CLASS_CONTENT".to_string(),
            8 => "FAN_CLASS_PRE_CONTENT".to_string(),
            x => format!("{x:#x} /* FAN_CLASS_??? */"),
        };
        let rest = f & !0xc;
        let mut s = class;
        if rest != 0 {
            s.push('|');
            s.push_str(&flags_tail(
                &[
                    (1, "FAN_CLOEXEC"),
                    (2, "FAN_NONBLOCK"),
                    (0x10, "FAN_UNLIMITED_QUEUE"),
                    (0x20, "FAN_UNLIMITED_MARKS"),
                    (0x40, "FAN_ENABLE_AUDIT"),
                    (0x80, "FAN_REPORT_PIDFD"),
                    (0x100, "FAN_REPORT_TID"),
                    (0x200, "FAN_REPORT_FID"),
                    (0x400, "FAN_REPORT_DIR_FID"),
                    (0x800, "FAN_REPORT_NAME"),
                    (0x1000, "FAN_REPORT_TARGET_FID"),
                ],
                rest,
            ));
        }
        let v = [Value::Raw(s), open_flags(c.arg(1) & 0xffff_ffff)];
        c.args.extend(v);
    }
}

pub(crate) fn fanotify_mark(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            f32(
                c,
                1,
                &[
                    (1, "FAN_MARK_ADD"),
                    (2, "FAN_MARK_REMOVE"),
                    (4, "FAN_MARK_DONT_FOLLOW"),
                    (8, "FAN_MARK_ONLYDIR"),
                    (0x10, "FAN_MARK_MOUNT"),
                    (0x20, "FAN_MARK_IGNORED_MASK"),
                    (0x40, "FAN_MARK_IGNORED_SURV_MODIFY"),
                    (0x80, "FAN_MARK_FLUSH"),
                    (0x100, "FAN_MARK_FILESYSTEM"),
                    (0x200, "FAN_MARK_EVICTABLE"),
                    (0x400, "FAN_MARK_IGNORE"),
                ],
                "FAN_MARK_???",
            ),
            flags(
                &[
                    (1, "FAN_ACCESS"),
                    (2, "FAN_MODIFY"),
                    (4, "FAN_ATTRIB"),
                    (8, "FAN_CLOSE_WRITE"),
                    (0x10, "FAN_CLOSE_NOWRITE"),
                    (0x20, "FAN_OPEN"),
                    (0x40, "FAN_MOVED_FROM"),
                    (0x80, "FAN_MOVED_TO"),
                    (0x100, "FAN_CREATE"),
                    (0x200, "FAN_DELETE"),
                    (0x400, "FAN_DELETE_SELF"),
                    (0x800, "FAN_MOVE_SELF"),
                    (0x1000, "FAN_OPEN_EXEC"),
                    (0x4000, "FAN_Q_OVERFLOW"),
                    (0x8000, "FAN_FS_ERROR"),
                    (0x10000, "FAN_OPEN_PERM"),
                    (0x20000, "FAN_ACCESS_PERM"),
                    (0x40000, "FAN_OPEN_EXEC_PERM"),
                    (0x8000000, "FAN_EVENT_ON_CHILD"),
                    (0x40000000, "FAN_ONDIR"),
                ],
                c.arg(2),
                "FAN_???",
            ),
            c.dirfd(3),
            c.path(4),
        ];
        c.args.extend(v);
    }
}

static KEYCTL_CMDS: Xlat = &[
    (0, "KEYCTL_GET_KEYRING_ID"),
    (1, "KEYCTL_JOIN_SESSION_KEYRING"),
    (2, "KEYCTL_UPDATE"),
    (3, "KEYCTL_REVOKE"),
    (4, "KEYCTL_CHOWN"),
    (5, "KEYCTL_SETPERM"),
    (6, "KEYCTL_DESCRIBE"),
    (7, "KEYCTL_CLEAR"),
    (8, "KEYCTL_LINK"),
    (9, "KEYCTL_UNLINK"),
    (10, "KEYCTL_SEARCH"),
    (11, "KEYCTL_READ"),
    (12, "KEYCTL_INSTANTIATE"),
    (13, "KEYCTL_NEGATE"),
    (14, "KEYCTL_SET_REQKEY_KEYRING"),
    (15, "KEYCTL_SET_TIMEOUT"),
    (16, "KEYCTL_ASSUME_AUTHORITY"),
    (17, "KEYCTL_GET_SECURITY"),
    (18, "KEYCTL_SESSION_TO_PARENT"),
    (19, "KEYCTL_REJECT"),
    (20, "KEYCTL_INSTANTIATE_IOV"),
    (21, "KEYCTL_INVALIDATE"),
    (22, "KEYCTL_GET_PERSISTENT"),
    (23, "KEYCTL_DH_COMPUTE"),
    (24, "KEYCTL_PKEY_QUERY"),
    (25, "KEYCTL_PKEY_ENCRYPT"),
    (26, "KEYCTL_PKEY_DECRYPT"),
    (27, "KEYCTL_PKEY_SIGN"),
    (28, "KEYCTL_PKEY_VERIFY"),
    (29, "KEYCTL_RESTRICT_KEYRING"),
    (30, "KEYCTL_MOVE"),
    (31, "KEYCTL_CAPABILITIES"),
    (32, "KEYCTL_WATCH_KEY"),
];

pub(crate) fn keyctl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let cmd = c.arg(0) & 0xffff_ffff;
        c.push(xval(KEYCTL_CMDS, cmd, "KEYCTL_???"));
        match cmd {
            0 => {
                let v = [keyring(c, 1), int(c, 2)];
                c.args.extend(v);
            }
            1 => c.push(c.cstr(1)),
            3 | 7 | 21 => c.push(keyring(c, 1)),
            8 | 9 => {
                let v = [keyring(c, 1), keyring(c, 2)];
                c.args.extend(v);
            }
            15 => {
                let v = [keyring(c, 1), u32v(c, 2)];
                c.args.extend(v);
            }
            _ if lookup(KEYCTL_CMDS, cmd).is_some() => {
                for i in 1..5 {
                    c.push(hex(c, i));
                }
            }
            _ => {
                for i in 1..5 {
                    c.push(hex(c, i));
                }
            }
        }
    }
}

static BPF_CMDS: Xlat = &[
    (0, "BPF_MAP_CREATE"),
    (1, "BPF_MAP_LOOKUP_ELEM"),
    (2, "BPF_MAP_UPDATE_ELEM"),
    (3, "BPF_MAP_DELETE_ELEM"),
    (4, "BPF_MAP_GET_NEXT_KEY"),
    (5, "BPF_PROG_LOAD"),
    (6, "BPF_OBJ_PIN"),
    (7, "BPF_OBJ_GET"),
    (8, "BPF_PROG_ATTACH"),
    (9, "BPF_PROG_DETACH"),
    (10, "BPF_PROG_TEST_RUN"),
    (11, "BPF_PROG_GET_NEXT_ID"),
    (12, "BPF_MAP_GET_NEXT_ID"),
    (13, "BPF_PROG_GET_FD_BY_ID"),
    (14, "BPF_MAP_GET_FD_BY_ID"),
    (15, "BPF_OBJ_GET_INFO_BY_FD"),
    (16, "BPF_PROG_QUERY"),
    (17, "BPF_RAW_TRACEPOINT_OPEN"),
    (18, "BPF_BTF_LOAD"),
    (19, "BPF_BTF_GET_FD_BY_ID"),
    (20, "BPF_TASK_FD_QUERY"),
    (21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"),
    (22, "BPF_MAP_FREEZE"),
    (23, "BPF_BTF_GET_NEXT_ID"),
    (24, "BPF_MAP_LOOKUP_BATCH"),
    (25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"),
    (26, "BPF_MAP_UPDATE_BATCH"),
    (27, "BPF_MAP_DELETE_BATCH"),
    (28, "BPF_LINK_CREATE"),
    (29, "BPF_LINK_UPDATE"),
    (30, "BPF_LINK_GET_FD_BY_ID"),
    (31, "BPF_LINK_GET_NEXT_ID"),
    (32, "BPF_ENABLE_STATS"),
    (33, "BPF_ITER_CREATE"),
    (34, "BPF_LINK_DETACH"),
    (35, "BPF_PROG_BIND_MAP"),
];

pub(crate) fn bpf(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [x32(c, 0, BPF_CMDS, "BPF_???"), c.addr(1), u32v(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn perf_event_open(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            int(c, 1),
            int(c, 2),
            int(c, 3),
            flags(
                &[
                    (1, "PERF_FLAG_FD_NO_GROUP"),
                    (2, "PERF_FLAG_FD_OUTPUT"),
                    (4, "PERF_FLAG_PID_CGROUP"),
                    (8, "PERF_FLAG_FD_CLOEXEC"),
                ],
                c.arg(4),
                "PERF_FLAG_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mseal(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1), hex(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn map_shadow_stack(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            f32(
                c,
                2,
                &[
                    (1, "SHADOW_STACK_SET_TOKEN"),
                    (2, "SHADOW_STACK_SET_MARKER"),
                ],
                "SHADOW_STACK_???",
            ),
        ];
        c.args.extend(v);
    } else {
        c.ret_hex();
    }
}

pub(crate) fn cachestat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.addr(1), c.addr(2), hex(c, 3)];
        c.args.extend(v);
    }
}

/// The *xattrat calls: (dirfd, path, at_flags, ...).
fn xattrat_head(c: &Ctx<'_>) -> Vec<Value> {
    vec![c.dirfd(0), c.path(1), f32(c, 2, AT_FLAGS, "AT_???")]
}

pub(crate) fn setxattrat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let mut v = xattrat_head(c);
        v.extend([c.cstr(3), c.addr(4), ulong(c, 5)]);
        c.args.extend(v);
    }
}
pub(crate) use setxattrat as getxattrat;

pub(crate) fn listxattrat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let mut v = xattrat_head(c);
        v.extend([c.addr(3), ulong(c, 4)]);
        c.args.extend(v);
    }
}

pub(crate) fn removexattrat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let mut v = xattrat_head(c);
        v.push(c.cstr(3));
        c.args.extend(v);
    }
}

pub(crate) fn open_tree_attr(c: &mut Ctx<'_>) {
    open_tree(c);
    if c.entering() {
        let v = [c.addr(3), ulong(c, 4)];
        c.args.extend(v);
    }
}

pub(crate) fn file_getattr(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            c.addr(2),
            ulong(c, 3),
            f32(c, 4, AT_FLAGS, "AT_???"),
        ];
        c.args.extend(v);
    }
}
pub(crate) use file_getattr as file_setattr;

// ---- NUMA memory policy --------------------------------------------------

static MPOL_MODES: Xlat = &[
    (0, "MPOL_DEFAULT"),
    (1, "MPOL_PREFERRED"),
    (2, "MPOL_BIND"),
    (3, "MPOL_INTERLEAVE"),
    (4, "MPOL_LOCAL"),
    (5, "MPOL_PREFERRED_MANY"),
    (6, "MPOL_WEIGHTED_INTERLEAVE"),
];
static MPOL_MODE_FLAGS: Xlat = &[
    (1 << 15, "MPOL_F_STATIC_NODES"),
    (1 << 14, "MPOL_F_RELATIVE_NODES"),
    (1 << 13, "MPOL_F_NUMA_BALANCING"),
];

fn mpol_mode(v: u64) -> Value {
    let v = v & 0xffff_ffff;
    let fl = v & 0xe000;
    let mode = v & !0xe000;
    match lookup(MPOL_MODES, mode) {
        Some(n) if fl == 0 => Value::Sym(n),
        Some(n) => Value::Raw(format!("{n}|{}", flags_tail(MPOL_MODE_FLAGS, fl))),
        None if fl == 0 => Value::Commented(Box::new(Value::Hex(v)), "MPOL_???".into()),
        None => Value::Raw(flags_tail(MPOL_MODE_FLAGS, v)),
    }
}

/// A node mask of `maxnode` bits: `[0x00000000000001]` (C's `%#016lx`).
fn nodemask(c: &Ctx<'_>, addr: u64, maxnode: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let words = maxnode.saturating_add(62) / 64;
    if words == 0 {
        return Value::Addr(addr);
    }
    let word = |_: &Ctx<'_>, b: &[u8]| {
        let v = crate::ctx::le64(b, 0);
        Value::Raw(if v == 0 {
            "0".repeat(16)
        } else {
            format!("{v:#016x}")
        })
    };
    super::array_at(c, addr, words, 8, word)
}

pub(crate) fn set_mempolicy(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            mpol_mode(c.arg(0)),
            nodemask(c, c.arg(1), c.arg(2)),
            ulong(c, 2),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mbind(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            mpol_mode(c.arg(2)),
            nodemask(c, c.arg(3), c.arg(4)),
            ulong(c, 4),
            f32(
                c,
                5,
                &[
                    (1, "MPOL_MF_STRICT"),
                    (2, "MPOL_MF_MOVE"),
                    (4, "MPOL_MF_MOVE_ALL"),
                ],
                "MPOL_MF_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn get_mempolicy(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    let mode = match c.arg(0) {
        0 => Value::Addr(0),
        a if c.failed() => Value::Addr(a),
        a => match c.read_u32(a) {
            Some(m) => Value::Array {
                items: vec![mpol_mode(m as u64)],
                more: false,
            },
            None => Value::Unavailable(a),
        },
    };
    let mask = if c.failed() {
        c.addr(1)
    } else {
        nodemask(c, c.arg(1), c.arg(2))
    };
    let v = [
        mode,
        mask,
        ulong(c, 2),
        c.addr(3),
        f32(
            c,
            4,
            &[
                (1, "MPOL_F_NODE"),
                (2, "MPOL_F_ADDR"),
                (4, "MPOL_F_MEMS_ALLOWED"),
            ],
            "MPOL_F_???",
        ),
    ];
    c.args.extend(v);
}

/// A timeval with strace's date comment (when non-zero).
fn timeval_commented(b: &[u8]) -> Value {
    let sec = crate::ctx::le64(b, 0) as i64;
    let usec = crate::ctx::le64(b, 8);
    let v = super::timeval_bytes(b);
    if sec == 0 && usec == 0 {
        return v;
    }
    let mut comment = crate::family::stat::time_comment(sec, 0);
    if usec != 0 {
        // seconds.microseconds
        let at = comment.len() - "+0000".len();
        comment.insert_str(at, &format!(".{usec:06}"));
    }
    Value::Commented(Box::new(v), comment)
}

/// Two timevals (utimes, futimesat).
fn timevals_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 32, |c, b| {
        super::limited(
            c,
            vec![timeval_commented(&b[0..16]), timeval_commented(&b[16..32])],
        )
    })
}

pub(crate) fn utimes(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [c.path(0), timevals_at(c, c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn utime(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let t = c.struct_at(c.arg(1), 16, |_, b| {
            let f = |o| {
                let t = crate::ctx::le64(b, o) as i64;
                Value::Commented(
                    Box::new(Value::Int(t)),
                    crate::family::stat::time_comment(t, 0),
                )
            };
            crate::ctx::st(vec![("actime", f(0)), ("modtime", f(8))])
        });
        let v = [c.path(0), t];
        c.args.extend(v);
    }
}

pub(crate) fn move_pages(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            ulong(c, 1),
            c.addr(2),
            c.addr(3),
            c.addr(4),
            f32(
                c,
                5,
                &[(2, "MPOL_MF_MOVE"), (4, "MPOL_MF_MOVE_ALL")],
                "MPOL_MF_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn lookup_dcookie(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [ulong(c, 0), c.addr(1), ulong(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn io_pgetevents(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [c.addr(0), long(c, 1), long(c, 2)];
        c.args.extend(v);
        c.defer();
    } else {
        let v = [c.addr(3), super::timespec_at(c, c.arg(4)), c.addr(5)];
        c.args.extend(v);
    }
}

pub(crate) fn modify_ldt(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), c.addr(1), ulong(c, 2)];
        c.args.extend(v);
    }
}
