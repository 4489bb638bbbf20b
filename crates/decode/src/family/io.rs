//! Decoders for calls on file descriptors: read/write and their vector and
//! positional forms, close/dup*, pipes, lseek, getdents, fcntl, ioctl,
//! sendfile and other fd plumbing.

use super::{int_array_at, long, ulong};
use crate::ctx::{flags, le32, le64, lookup, xval, Ctx};
use crate::family::fs::open_flags;
use crate::tables::xlat::*;
use crate::value::{RetValue, Value};

/// `fd` only (close, fsync, ...).
pub(crate) fn close(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
    }
}
pub(crate) use close as dup;
pub(crate) use close as fsync;
pub(crate) use close as fdatasync;
pub(crate) use close as syncfs;

pub(crate) fn dup2(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.fd(1)];
        c.args.extend(v);
    }
}

pub(crate) fn dup3(c: &mut Ctx<'_>) {
    dup2(c);
    if c.entering() {
        c.push(flags(OPEN_FLAGS, c.arg(2) & 0xffff_ffff, "O_???"));
    }
}

pub(crate) fn read(c: &mut Ctx<'_>) {
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.defer();
    } else {
        let v = [c.out_buf(1), ulong(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn write(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), c.buf(1, c.arg(2)), ulong(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn pread64(c: &mut Ctx<'_>) {
    read(c);
    if !c.entering() {
        c.push(long(c, 3));
    }
}

pub(crate) fn pwrite64(c: &mut Ctx<'_>) {
    write(c);
    if c.entering() {
        c.push(long(c, 3));
    }
}

/// An iovec array printed with each iov_len bytes of data.
fn iov(c: &Ctx<'_>, addr: u64, cnt: u64) -> Value {
    iov_total(c, addr, cnt, u64::MAX)
}

/// An iovec array whose data is shown up to `total` bytes overall.
pub(crate) fn iov_total(c: &Ctx<'_>, addr: u64, cnt: u64, total: u64) -> Value {
    iov_with(c, addr, cnt, total, true)
}

/// An iovec array with the buffers' addresses instead of their data.
pub(crate) fn iov_addrs(c: &Ctx<'_>, addr: u64, cnt: u64) -> Value {
    iov_with(c, addr, cnt, 0, false)
}

fn iov_with(c: &Ctx<'_>, addr: u64, cnt: u64, total: u64, data: bool) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let limit = c.elem_limit();
    let shown = cnt.min(limit).min(1024);
    let mut items = Vec::new();
    // Bounded output: at most 256 KiB of data over the whole array.
    let mut left = total.min(1 << 18);
    // struct iovec: two pointer-sized fields (16 bytes, 8 on i386/x32)
    let w = c.ptr_size() as u64;
    let field = |b: &[u8], i: u64| {
        if w == 8 {
            le64(b, (i * w) as usize)
        } else {
            crate::ctx::le32(b, (i * w) as usize) as u64
        }
    };
    for i in 0..shown {
        match c.read_bytes(addr.wrapping_add(i * 2 * w), 2 * w as usize) {
            Some(b) => {
                let base = field(&b, 0);
                let len = field(&b, 1);
                let s = left.min(len);
                left -= s;
                items.push(crate::ctx::st(vec![
                    (
                        "iov_base",
                        if data {
                            c.buf_at(base, s)
                        } else {
                            Value::Addr(base)
                        },
                    ),
                    ("iov_len", Value::UInt(len)),
                ]));
            }
            None if i == 0 => return Value::Unavailable(addr),
            None => {
                items.push(Value::Unavailable(addr.wrapping_add(i * 2 * w)));
                return Value::Array { items, more: false };
            }
        }
    }
    Value::Array {
        items,
        more: cnt > shown,
    }
}

pub(crate) fn readv(c: &mut Ctx<'_>) {
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.defer();
    } else {
        // A failed read shows the buffers' addresses only.
        let v = if c.failed() {
            iov_addrs(c, c.arg(1), c.arg(2))
        } else {
            iov_total(c, c.arg(1), c.arg(2), c.retval().max(0) as u64)
        };
        c.push(v);
        c.push(ulong(c, 2));
    }
}

pub(crate) fn writev(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), iov(c, c.arg(1), c.arg(2)), ulong(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn preadv(c: &mut Ctx<'_>) {
    readv(c);
    if !c.entering() {
        c.push(long(c, 3));
    }
}

pub(crate) fn pwritev(c: &mut Ctx<'_>) {
    writev(c);
    if c.entering() {
        c.push(long(c, 3));
    }
}

fn rwf(v: u64) -> Value {
    flags(
        &[
            (1, "RWF_HIPRI"),
            (2, "RWF_DSYNC"),
            (4, "RWF_SYNC"),
            (8, "RWF_NOWAIT"),
            (16, "RWF_APPEND"),
        ],
        v,
        "RWF_???",
    )
}

pub(crate) fn preadv2(c: &mut Ctx<'_>) {
    preadv(c);
    if !c.entering() {
        c.push(rwf(c.arg(5)));
    }
}

pub(crate) fn pwritev2(c: &mut Ctx<'_>) {
    pwritev(c);
    if c.entering() {
        c.push(rwf(c.arg(5)));
    }
}

pub(crate) fn pipe(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(0)
        } else {
            super::fd_pair_at(c, c.arg(0))
        };
        c.push(v);
    }
}

pub(crate) fn pipe2(c: &mut Ctx<'_>) {
    pipe(c);
    if !c.entering() {
        c.push(flags(OPEN_FLAGS, c.arg(1) & 0xffff_ffff, "O_???"));
    }
}

pub(crate) fn lseek(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            long(c, 1),
            xval(SEEK, c.arg(2) & 0xffff_ffff, "SEEK_???"),
        ];
        c.args.extend(v);
    }
}

fn dirent_type(t: u8) -> Value {
    let names = [
        (0, "DT_UNKNOWN"),
        (1, "DT_FIFO"),
        (2, "DT_CHR"),
        (4, "DT_DIR"),
        (6, "DT_BLK"),
        (8, "DT_REG"),
        (10, "DT_LNK"),
        (12, "DT_SOCK"),
        (14, "DT_WHT"),
    ];
    match names.iter().find(|n| n.0 == t) {
        Some(n) => Value::Sym(n.1),
        None => Value::Commented(Box::new(Value::Hex(t as u64)), "DT_???".into()),
    }
}

fn getdents_common(c: &mut Ctx<'_>, is64: bool) {
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.defer();
        return;
    }
    let addr = c.arg(1);
    let n = c.retval();
    let v = if c.failed() || n < 0 {
        c.addr(1)
    } else {
        match c.read_bytes(addr, (n as usize).min(crate::ctx::MAX_READ)) {
            None => Value::Unavailable(addr),
            Some(b) => {
                let mut ents = Vec::new();
                let mut off = 0usize;
                while off + 19 <= b.len() {
                    let reclen = crate::ctx::le16(&b, off + 16) as usize;
                    if reclen == 0 || off + reclen > b.len() {
                        break;
                    }
                    ents.push(off);
                    off += reclen;
                }
                let count = ents.len();
                let label = format!("{count} entries");
                if !c.opts.verbose {
                    Value::Commented(Box::new(Value::Addr(addr)), label)
                } else {
                    let items = ents
                        .iter()
                        .map(|&o| {
                            let reclen = crate::ctx::le16(&b, o + 16) as usize;
                            let (name_off, ty) = if is64 {
                                (o + 19, b[o + 18])
                            } else {
                                (o + 18, b.get(o + reclen - 1).copied().unwrap_or(0))
                            };
                            let end = (o + reclen).min(b.len());
                            let name = &b[name_off.min(end)..end];
                            let name = name.split(|&x| x == 0).next().unwrap_or(&[]).to_vec();
                            crate::ctx::st(vec![
                                ("d_ino", Value::UInt(le64(&b, o))),
                                ("d_off", Value::UInt(le64(&b, o + 8))),
                                ("d_reclen", Value::UInt(reclen as u64)),
                                ("d_type", dirent_type(ty)),
                                (
                                    "d_name",
                                    Value::Str {
                                        bytes: name,
                                        truncated: false,
                                    },
                                ),
                            ])
                        })
                        .collect();
                    // strace -v prints every entry, without the count
                    Value::Array { items, more: false }
                }
            }
        }
    };
    c.push(v);
    c.push(Value::UInt(c.arg(2) & 0xffff_ffff));
}

pub(crate) fn getdents64(c: &mut Ctx<'_>) {
    getdents_common(c, true)
}

pub(crate) fn getdents(c: &mut Ctx<'_>) {
    getdents_common(c, false)
}

fn flock_struct(c: &Ctx<'_>, addr: u64, with_pid: bool) -> Value {
    c.struct_at(addr, 32, |_, b| {
        let mut f = vec![
            (
                "l_type",
                xval(LOCK_TYPES, crate::ctx::le16(b, 0) as u64, "F_???"),
            ),
            (
                "l_whence",
                xval(SEEK, crate::ctx::le16(b, 2) as u64, "SEEK_???"),
            ),
            ("l_start", Value::Int(le64(b, 8) as i64)),
            ("l_len", Value::Int(le64(b, 16) as i64)),
        ];
        if with_pid {
            f.push(("l_pid", Value::Int(le32(b, 24) as i32 as i64)));
        }
        crate::ctx::st(f)
    })
}

pub(crate) fn fcntl(c: &mut Ctx<'_>) {
    let cmd = c.arg(1) & 0xffff_ffff;
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.push(xval(FCNTL_CMDS, cmd, "F_???"));
        match cmd {
            0 | 1030 | 8 | 10 | 1024 | 1031 => c.push(long(c, 2)),
            2 => c.push(flags(FD_FLAGS, c.arg(2), "FD_???")),
            4 => c.push(open_flags(c.arg(2) & 0xffff_ffff)),
            6 | 7 | 37 | 38 => {
                let v = flock_struct(c, c.arg(2), false);
                c.push(v);
            }
            5 | 36 => {
                let v = flock_struct(c, c.arg(2), false);
                c.push(v);
                c.defer();
            }
            1033 => c.push(flags(SEALS, c.arg(2), "F_SEAL_???")),
            1 | 3 | 9 | 11 | 1025 | 1032 | 1034 => {}
            _ => c.push(Value::Hex(c.arg(2))),
        }
        return;
    }
    if c.failed() {
        if matches!(cmd, 5 | 36) {
            c.push(c.addr(2));
        }
        return;
    }
    let r = c.retval() as u64;
    match cmd {
        5 | 36 => {
            let v = flock_struct(c, c.arg(2), true);
            c.push(v);
        }
        3 => c.set_ret(RetValue::Commented(
            Box::new(RetValue::Hex(r)),
            format!(
                "flags {}",
                crate::text::value_to_string(&open_flags(r), c.opts)
            ),
        )),
        1 if r != 0 => c.set_ret(RetValue::Commented(
            Box::new(RetValue::Hex(r)),
            format!(
                "flags {}",
                crate::text::value_to_string(&flags(FD_FLAGS, r, "FD_???"), c.opts)
            ),
        )),
        1034 if r != 0 => c.set_ret(RetValue::Commented(
            Box::new(RetValue::Hex(r)),
            format!(
                "seals {}",
                crate::text::value_to_string(&flags(SEALS, r, "F_SEAL_???"), c.opts)
            ),
        )),
        _ => {}
    }
}

static TC_IFLAG: Xlat = &[
    (0x1, "IGNBRK"),
    (0x2, "BRKINT"),
    (0x4, "IGNPAR"),
    (0x8, "PARMRK"),
    (0x10, "INPCK"),
    (0x20, "ISTRIP"),
    (0x40, "INLCR"),
    (0x80, "IGNCR"),
    (0x100, "ICRNL"),
    (0x200, "IUCLC"),
    (0x400, "IXON"),
    (0x800, "IXANY"),
    (0x1000, "IXOFF"),
    (0x2000, "IMAXBEL"),
    (0x4000, "IUTF8"),
];
static TC_OFLAG: Xlat = &[
    (0x1, "OPOST"),
    (0x2, "OLCUC"),
    (0x4, "ONLCR"),
    (0x8, "OCRNL"),
    (0x10, "ONOCR"),
    (0x20, "ONLRET"),
    (0x40, "OFILL"),
    (0x80, "OFDEL"),
];
static TC_CFLAG: Xlat = &[
    (0x40, "CSTOPB"),
    (0x80, "CREAD"),
    (0x100, "PARENB"),
    (0x200, "PARODD"),
    (0x400, "HUPCL"),
    (0x800, "CLOCAL"),
    (0x40000000, "CMSPAR"),
    (0x80000000, "CRTSCTS"),
];
static TC_LFLAG: Xlat = &[
    (0x1, "ISIG"),
    (0x2, "ICANON"),
    (0x4, "XCASE"),
    (0x8, "ECHO"),
    (0x10, "ECHOE"),
    (0x20, "ECHOK"),
    (0x40, "ECHONL"),
    (0x80, "NOFLSH"),
    (0x100, "TOSTOP"),
    (0x8000, "IEXTEN"),
    (0x200, "ECHOCTL"),
    (0x400, "ECHOPRT"),
    (0x800, "ECHOKE"),
    (0x1000, "FLUSHO"),
    (0x4000, "PENDIN"),
    (0x10000, "EXTPROC"),
];
static BAUDS: [&str; 16] = [
    "B0", "B50", "B75", "B110", "B134", "B150", "B200", "B300", "B600", "B1200", "B1800", "B2400",
    "B4800", "B9600", "B19200", "B38400",
];
static BAUDS_HI: [&str; 16] = [
    "BOTHER", "B57600", "B115200", "B230400", "B460800", "B500000", "B576000", "B921600",
    "B1000000", "B1152000", "B1500000", "B2000000", "B2500000", "B3000000", "B3500000", "B4000000",
];

fn joined(mut names: Vec<String>, rest: Value, opts: &crate::DecodeOptions) -> Value {
    match rest {
        Value::FlagBits { lead, table, bits } => {
            let r = crate::value::flag_names(lead, table, bits, |n| names.push(n.to_string()));
            let mut s = names.join("|");
            if r != 0 {
                s.push_str(&format!("|{r:#x}"));
            }
            Value::Raw(s)
        }
        Value::Hex(0) => Value::Raw(names.join("|")),
        other => {
            names.push(crate::text::value_to_string(&other, opts));
            Value::Raw(names.join("|"))
        }
    }
}

fn termios(c: &Ctx<'_>, b: &[u8]) -> Value {
    let ifl = le32(b, 0) as u64;
    let ofl = le32(b, 4) as u64;
    let cfl = le32(b, 8) as u64;
    let lfl = le32(b, 12) as u64;
    let o_fields = vec![
        if ofl & 0x100 != 0 { "NL1" } else { "NL0" }.to_string(),
        format!("CR{}", (ofl >> 9) & 3),
        format!("TAB{}", (ofl >> 11) & 3),
        if ofl & 0x2000 != 0 { "BS1" } else { "BS0" }.to_string(),
        if ofl & 0x4000 != 0 { "VT1" } else { "VT0" }.to_string(),
        if ofl & 0x8000 != 0 { "FF1" } else { "FF0" }.to_string(),
    ];
    let baud = |v: u64| {
        if v & 0x1000 != 0 {
            BAUDS_HI[(v & 0xf) as usize]
        } else {
            BAUDS[(v & 0xf) as usize]
        }
    };
    let mut c_fields = vec![baud(cfl & 0x100f).to_string()];
    let ibaud = (cfl >> 16) & 0x100f;
    if ibaud != 0 {
        c_fields.push(format!("{}<<IBSHIFT", baud(ibaud)));
    }
    c_fields.push(format!("CS{}", 5 + ((cfl >> 4) & 3)));
    let mut f = vec![
        ("c_iflag", flags(TC_IFLAG, ifl, "???")),
        (
            "c_oflag",
            joined(o_fields, flags(TC_OFLAG, ofl & !0xff00, "???"), c.opts),
        ),
        (
            "c_cflag",
            joined(c_fields, flags(TC_CFLAG, cfl & !0x100f_103f, "???"), c.opts),
        ),
        ("c_lflag", flags(TC_LFLAG, lfl, "???")),
    ];
    if c.opts.verbose {
        let disc = [
            "N_TTY",
            "N_SLIP",
            "N_MOUSE",
            "N_PPP",
            "N_STRIP",
            "N_AX25",
            "N_X25",
            "N_6PACK",
            "N_MASC",
            "N_R3964",
            "N_PROFIBUS_FDL",
            "N_IRDA",
            "N_SMSBLOCK",
            "N_HDLC",
            "N_SYNC_PPP",
            "N_HCI",
            "N_GIGASET_M101",
            "N_SLCAN",
            "N_PPS",
            "N_V253",
            "N_CAIF",
            "N_GSM0710",
            "N_TI_WL",
            "N_TRACESINK",
            "N_TRACEROUTER",
            "N_NCI",
            "N_SPEAKUP",
            "N_NULL",
            "N_MCTP",
            "N_DEVELOPMENT",
            "N_CAN327",
        ];
        let line = b[16] as usize;
        f.push((
            "c_line",
            match disc.get(line) {
                Some(n) => Value::Sym(n),
                None => Value::Commented(Box::new(Value::Hex(line as u64)), "N_???".into()),
            },
        ));
        let names = [
            "VINTR", "VQUIT", "VERASE", "VKILL", "VEOF", "VTIME", "VMIN", "VSWTC", "VSTART",
            "VSTOP", "VSUSP", "VEOL", "VREPRINT", "VDISCARD", "VWERASE", "VLNEXT", "VEOL2",
        ];
        let cc: Vec<String> = (0..19)
            .map(|i| {
                let v = b[17 + i];
                let val = if v == 0 {
                    "0".to_string()
                } else {
                    format!("{v:#x}")
                };
                match names.get(i) {
                    Some(n) => format!("[{n}]={val}"),
                    None => format!("[{i}]={val}"),
                }
            })
            .collect();
        f.push(("c_cc", Value::Raw(format!("[{}]", cc.join(", ")))));
    }
    Value::Struct {
        fields: f,
        more: !c.opts.verbose,
    }
}

/// ioctl request as strace prints it: a name or `_IOC(...)`.
fn ioctl_req(req: u64) -> Value {
    if let Some(n) = lookup(IOCTLS, req) {
        return Value::Sym(n);
    }
    let dir = (req >> 30) & 3;
    let size = (req >> 16) & 0x3fff;
    let ty = (req >> 8) & 0xff;
    let nr = req & 0xff;
    let d = [
        "_IOC_NONE",
        "_IOC_WRITE",
        "_IOC_READ",
        "_IOC_READ|_IOC_WRITE",
    ][dir as usize];
    let h = |v: u64| {
        if v == 0 {
            "0".to_string()
        } else {
            format!("{v:#x}")
        }
    };
    Value::Raw(format!("_IOC({d}, {}, {}, {})", h(ty), h(nr), h(size)))
}

pub(crate) fn ioctl(c: &mut Ctx<'_>) {
    let req = c.arg(1) & 0xffff_ffff;
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.push(ioctl_req(req));
        match req {
            // output arguments, printed at exit
            0x5401 | 0x5413 | 0x540f | 0x541b | 0x5429 | 0x80045430 | 0x5411 | 0x5424 => c.defer(),
            0x5402..=0x5404 => {
                let v = c.struct_at(c.arg(2), 36, termios);
                c.push(v);
            }
            0x5414 => {
                let v = c.struct_at(c.arg(2), 8, winsize);
                c.push(v);
            }
            0x5410 | 0x5421 | 0x5452 | 0x40045431 | 0x5423 => {
                let v = int_array_at(c, c.arg(2), 1);
                c.push(v);
            }
            0x5450 | 0x5451 | 0x5422 => {}
            0x540e | 0x5409 | 0x540a | 0x540b => c.push(long(c, 2)),
            // FICLONE: the source fd; FICLONERANGE: struct file_clone_range
            0x40049409 => {
                let f = c.fd(2);
                c.push(f);
            }
            0x4020940d => {
                let v = c.struct_at(c.arg(2), 32, |_, b| {
                    crate::ctx::st(vec![
                        ("src_fd", Value::Fd(crate::ctx::le64(b, 0) as i32)),
                        ("src_offset", Value::UInt(crate::ctx::le64(b, 8))),
                        ("src_length", Value::UInt(crate::ctx::le64(b, 16))),
                        ("dest_offset", Value::UInt(crate::ctx::le64(b, 24))),
                    ])
                });
                c.push(v);
            }
            _ => c.push(Value::Hex(c.arg(2))),
        }
        return;
    }
    if c.failed() {
        c.push(c.addr(2));
        return;
    }
    let v = match req {
        0x5401 => c.struct_at(c.arg(2), 36, termios),
        0x5413 => c.struct_at(c.arg(2), 8, winsize),
        _ => int_array_at(c, c.arg(2), 1),
    };
    c.push(v);
}

fn winsize(_: &Ctx<'_>, b: &[u8]) -> Value {
    let h = |o| Value::UInt(crate::ctx::le16(b, o) as u64);
    crate::ctx::st(vec![
        ("ws_row", h(0)),
        ("ws_col", h(2)),
        ("ws_xpixel", h(4)),
        ("ws_ypixel", h(6)),
    ])
}

/// An `loff_t *` in/out: `[5]`, `[5] => [15]` at exit.
fn off_ptr(c: &Ctx<'_>, i: usize) -> Value {
    let a = c.arg(i);
    if a == 0 {
        return Value::Addr(0);
    }
    match c.read_u64(a) {
        Some(v) => Value::Array {
            items: vec![Value::Int(v as i64)],
            more: false,
        },
        None => Value::Unavailable(a),
    }
}

/// sendfile's offset is in/out: `[0] => [5]` when bytes were sent.
pub(crate) fn sendfile(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [c.fd(0), c.fd(1)];
        c.args.extend(v);
        let a = c.arg(2);
        match (a, c.read_u64(a)) {
            (0, _) | (_, None) => {
                let o = off_ptr(c, 2);
                c.push(o);
                c.push(ulong(c, 3));
            }
            (_, Some(old)) => {
                c.saved.push(old);
                c.defer();
            }
        }
    } else {
        let one = |v: u64| Value::Array {
            items: vec![Value::Int(v as i64)],
            more: false,
        };
        let old = one(c.saved(0));
        let v = match c.read_u64(c.arg(2)) {
            Some(new) if !c.failed() && c.retval() != 0 => {
                Value::Changed(Box::new(old), Box::new(one(new)))
            }
            _ => old,
        };
        c.push(v);
        c.push(ulong(c, 3));
    }
}

pub(crate) fn fadvise64(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            long(c, 1),
            ulong(c, 2),
            xval(FADV, c.arg(3) & 0xffff_ffff, "POSIX_FADV_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn close_range(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            Value::UInt(c.arg(0) & 0xffff_ffff),
            Value::UInt(c.arg(1) & 0xffff_ffff),
            flags(CLOSE_RANGE_FLAGS, c.arg(2) & 0xffff_ffff, "CLOSE_RANGE_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn eventfd(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(Value::UInt(c.arg(0) & 0xffff_ffff));
    }
}

pub(crate) fn eventfd2(c: &mut Ctx<'_>) {
    eventfd(c);
    if c.entering() {
        c.push(flags(EFD_FLAGS, c.arg(1) & 0xffff_ffff, "EFD_???"));
    }
}

pub(crate) fn flock(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            flags(FLOCK_OPS, c.arg(1) & 0xffff_ffff, "LOCK_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn copy_file_range(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            off_ptr(c, 1),
            c.fd(2),
            off_ptr(c, 3),
            ulong(c, 4),
            Value::UInt(c.arg(5) & 0xffff_ffff),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn splice(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            off_ptr(c, 1),
            c.fd(2),
            off_ptr(c, 3),
            ulong(c, 4),
            flags(
                &[
                    (1, "SPLICE_F_MOVE"),
                    (2, "SPLICE_F_NONBLOCK"),
                    (4, "SPLICE_F_MORE"),
                    (8, "SPLICE_F_GIFT"),
                ],
                c.arg(5) & 0xffff_ffff,
                "SPLICE_F_???",
            ),
        ];
        c.args.extend(v);
    }
}
