//! Decoders for system administration calls: quotactl/quotactl_fd,
//! kexec_load/kexec_file_load and the removed _sysctl.

use super::{array_at, ulong};
use crate::ctx::{flags, flags_tail, le16, le32, le64, lookup, st, xval, Ctx};
use crate::tables::xlat::*;
use crate::value::Value;

/// `0x1f`, or `0` (strace's form of a number with a `/* X_??? */` note).
fn hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

// ---- kexec ----------------------------------------------------------------

/// kexec_load's flags: the architecture (upper half of the low 32 bits),
/// then the flag bits, each part with its own `???` note.
fn kexec_load_flags(v: u64) -> Value {
    let arch = v & 0xffff_0000;
    let mut s = match lookup(KEXEC_ARCHS, arch) {
        Some(n) => n.to_string(),
        None => format!("{} /* KEXEC_ARCH_??? */", hex(arch)),
    };
    let rest = v & !0xffff_0000;
    if rest != 0 {
        s.push('|');
        let named = KEXEC_FLAGS.iter().any(|&(bit, _)| rest & bit != 0);
        if named {
            s.push_str(&flags_tail(KEXEC_FLAGS, rest));
        } else {
            s.push_str(&format!("{} /* KEXEC_??? */", hex(rest)));
        }
    }
    Value::Raw(s)
}

/// struct kexec_segment (x86_64): buf, bufsz, mem, memsz.
fn kexec_segment(_: &Ctx<'_>, b: &[u8]) -> Value {
    st(vec![
        ("buf", Value::Addr(le64(b, 0))),
        ("bufsz", Value::UInt(le64(b, 8))),
        ("mem", Value::Addr(le64(b, 16))),
        ("memsz", Value::UInt(le64(b, 24))),
    ])
}

/// The kernel's limit on kexec segments: beyond it the array is not read.
const KEXEC_SEGMENT_MAX: u64 = 16;

pub(crate) fn kexec_load(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let (n, segs) = (c.arg(1), c.arg(2));
        let segments = if n > KEXEC_SEGMENT_MAX {
            Value::Addr(segs)
        } else {
            array_at(c, segs, n, 32, kexec_segment)
        };
        let v = [c.addr(0), ulong(c, 1), segments, kexec_load_flags(c.arg(3))];
        c.args.extend(v);
    }
}

pub(crate) fn kexec_file_load(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let len = c.arg(2);
        let v = [
            c.fd(0),
            c.fd(1),
            ulong(c, 2),
            c.buf(3, len),
            flags(KEXEC_FILE_FLAGS, c.arg(4), "KEXEC_FILE_???"),
        ];
        c.args.extend(v);
    }
}

// ---- _sysctl --------------------------------------------------------------

/// _sysctl's struct __sysctl_args, its pointers as addresses (strace 6.1
/// shows no more; the kernel no longer has the call).
pub(crate) fn sysctl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = c.struct_at(c.arg(0), 80, |_, b| {
            st(vec![
                ("name", Value::Addr(le64(b, 0))),
                ("nlen", Value::Int(le32(b, 8) as i32 as i64)),
                ("oldval", Value::Addr(le64(b, 16))),
                ("oldlenp", Value::Addr(le64(b, 24))),
                ("newval", Value::Addr(le64(b, 32))),
                ("newlen", Value::UInt(le64(b, 40))),
            ])
        });
        c.push(v);
    }
}

// ---- quotactl -------------------------------------------------------------

const Q_SYNC: u32 = 0x80_0001;
const Q_QUOTAON: u32 = 0x80_0002;
const Q_QUOTAOFF: u32 = 0x80_0003;
const Q_GETFMT: u32 = 0x80_0004;
const Q_GETINFO: u32 = 0x80_0005;
const Q_SETINFO: u32 = 0x80_0006;
const Q_GETQUOTA: u32 = 0x80_0007;
const Q_SETQUOTA: u32 = 0x80_0008;
const Q_GETNEXTQUOTA: u32 = 0x80_0009;
const Q_XQUOTAON: u32 = 0x5801;
const Q_XQUOTAOFF: u32 = 0x5802;
const Q_XGETQUOTA: u32 = 0x5803;
const Q_XSETQLIM: u32 = 0x5804;
const Q_XGETQSTAT: u32 = 0x5805;
const Q_XQUOTARM: u32 = 0x5806;
const Q_XQUOTASYNC: u32 = 0x5807;
const Q_XGETQSTATV: u32 = 0x5808;
const Q_XGETNEXTQUOTA: u32 = 0x5809;

/// `QCMD(Q_GETQUOTA, USRQUOTA)`.
fn qcmd(v: u32) -> Value {
    let (cmd, ty) = ((v >> 8) as u64, (v & 0xff) as u64);
    let cmd = match lookup(QUOTA_CMDS, cmd) {
        Some(n) => n.to_string(),
        None => format!("{} /* Q_??? */", hex(cmd)),
    };
    let ty = match lookup(QUOTA_TYPES, ty) {
        Some(n) => n.to_string(),
        None => format!("{} /* ???QUOTA */", hex(ty)),
    };
    Value::Raw(format!("QCMD({cmd}, {ty})"))
}

/// struct if_dqblk (and if_nextdqblk's extra dqb_id with `next`).
fn dqblk(c: &Ctx<'_>, b: &[u8], next: bool) -> Value {
    const NAMES: [&str; 8] = [
        "dqb_bhardlimit",
        "dqb_bsoftlimit",
        "dqb_curspace",
        "dqb_ihardlimit",
        "dqb_isoftlimit",
        "dqb_curinodes",
        "dqb_btime",
        "dqb_itime",
    ];
    let shown = if c.opts.verbose { 8 } else { 6 };
    let mut fields: Vec<(&'static str, Value)> = NAMES[..shown]
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, Value::UInt(le64(b, i * 8))))
        .collect();
    if c.opts.verbose {
        fields.push(("dqb_valid", flags(QIF_FLAGS, le32(b, 64) as u64, "QIF_???")));
    }
    if next {
        fields.push(("dqb_id", Value::UInt(le32(b, 68) as u64)));
    }
    Value::Struct {
        fields,
        more: !c.opts.verbose,
    }
}

/// struct if_dqinfo.
fn dqinfo(_: &Ctx<'_>, b: &[u8]) -> Value {
    st(vec![
        ("dqi_bgrace", Value::UInt(le64(b, 0))),
        ("dqi_igrace", Value::UInt(le64(b, 8))),
        ("dqi_flags", flags(DQF_FLAGS, le32(b, 16) as u64, "DQF_???")),
        ("dqi_valid", flags(IIF_FLAGS, le32(b, 20) as u64, "IIF_???")),
    ])
}

/// struct fs_disk_quota (XFS).
fn disk_quota(c: &Ctx<'_>, b: &[u8]) -> Value {
    let u64f = |off: usize| Value::UInt(le64(b, off));
    let mut fields = vec![
        ("d_version", Value::Int(b[0] as i8 as i64)),
        (
            "d_flags",
            flags(XFS_QUOTA_TYPES, b[1] as u64, "FS_???_QUOTA"),
        ),
        ("d_fieldmask", Value::Hex(le16(b, 2) as u64)),
        ("d_id", Value::UInt(le32(b, 4) as u64)),
        ("d_blk_hardlimit", u64f(8)),
        ("d_blk_softlimit", u64f(16)),
        ("d_ino_hardlimit", u64f(24)),
        ("d_ino_softlimit", u64f(32)),
        ("d_bcount", u64f(40)),
        ("d_icount", u64f(48)),
    ];
    if c.opts.verbose {
        fields.extend([
            ("d_itimer", Value::Int(le32(b, 56) as i32 as i64)),
            ("d_btimer", Value::Int(le32(b, 60) as i32 as i64)),
            ("d_iwarns", Value::UInt(le16(b, 64) as u64)),
            ("d_bwarns", Value::UInt(le16(b, 66) as u64)),
            ("d_rtb_hardlimit", u64f(72)),
            ("d_rtb_softlimit", u64f(80)),
            ("d_rtbcount", u64f(88)),
            ("d_rtbtimer", Value::Int(le32(b, 96) as i32 as i64)),
            ("d_rtbwarns", Value::UInt(le16(b, 100) as u64)),
        ]);
    }
    Value::Struct {
        fields,
        more: !c.opts.verbose,
    }
}

/// struct fs_qfilestat / fs_qfilestatv at `off`.
fn qfilestat(b: &[u8], off: usize) -> Value {
    st(vec![
        ("qfs_ino", Value::UInt(le64(b, off))),
        ("qfs_nblks", Value::UInt(le64(b, off + 8))),
        ("qfs_nextents", Value::UInt(le32(b, off + 16) as u64)),
    ])
}

/// struct fs_quota_stat (`v` false) or fs_quota_statv (`v` true).
fn quota_stat(c: &Ctx<'_>, b: &[u8], v: bool) -> Value {
    let mut fields = vec![("qs_version", Value::Int(b[0] as i8 as i64))];
    if !c.opts.verbose {
        return Value::Struct { fields, more: true };
    }
    fields.push((
        "qs_flags",
        flags(XFS_QUOTA_FLAGS, le16(b, 2) as u64, "FS_QUOTA_???"),
    ));
    let int = |off: usize| Value::Int(le32(b, off) as i32 as i64);
    let u16f = |off: usize| Value::UInt(le16(b, off) as u64);
    if v {
        fields.extend([
            ("qs_incoredqs", Value::UInt(le32(b, 4) as u64)),
            ("qs_uquota", qfilestat(b, 8)),
            ("qs_gquota", qfilestat(b, 32)),
            ("qs_pquota", qfilestat(b, 56)),
            ("qs_btimelimit", int(80)),
            ("qs_itimelimit", int(84)),
            ("qs_rtbtimelimit", int(88)),
            ("qs_bwarnlimit", u16f(92)),
            ("qs_iwarnlimit", u16f(94)),
        ]);
    } else {
        fields.extend([
            ("qs_uquota", qfilestat(b, 8)),
            ("qs_gquota", qfilestat(b, 32)),
            ("qs_incoredqs", Value::UInt(le32(b, 56) as u64)),
            ("qs_btimelimit", int(60)),
            ("qs_itimelimit", int(64)),
            ("qs_rtbtimelimit", int(68)),
            ("qs_bwarnlimit", u16f(72)),
            ("qs_iwarnlimit", u16f(74)),
        ]);
    }
    st(fields)
}

/// A u32 flag word in brackets: `[FS_USER_QUOTA]`.
fn flag_word(c: &Ctx<'_>, addr: u64, x: Xlat, unknown: &'static str) -> Value {
    c.struct_at(addr, 4, |_, b| Value::Array {
        items: vec![flags(x, le32(b, 0) as u64, unknown)],
        more: false,
    })
}

/// quotactl and quotactl_fd after their first two arguments (the command
/// and the target, in either order): `cmd` is the command's index; the id
/// and the address are arguments 2 and 3 of both calls.
fn quota(c: &mut Ctx<'_>, cmd: usize) {
    let word = c.arg(cmd) as u32;
    let op = word >> 8;
    let (id, addr) = (2, 3);
    if !c.entering() {
        // output structs: the address if the call failed
        let a = c.arg(addr);
        let v = if c.failed() {
            c.addr(addr)
        } else {
            match op {
                Q_GETFMT => c.struct_at(a, 4, |_, b| Value::Array {
                    items: vec![xval(QUOTA_FORMATS, le32(b, 0) as u64, "QFMT_VFS_???")],
                    more: false,
                }),
                Q_GETINFO => c.struct_at(a, 24, dqinfo),
                Q_GETQUOTA => c.struct_at(a, 72, |c, b| dqblk(c, b, false)),
                Q_GETNEXTQUOTA => c.struct_at(a, 72, |c, b| dqblk(c, b, true)),
                Q_XGETQUOTA | Q_XGETNEXTQUOTA => c.struct_at(a, 112, disk_quota),
                Q_XGETQSTAT => c.struct_at(a, 80, |c, b| quota_stat(c, b, false)),
                _ => c.struct_at(a, 160, |c, b| quota_stat(c, b, true)),
            }
        };
        c.push(v);
        return;
    }
    let idv = super::id(c, id);
    match op {
        Q_SYNC | Q_QUOTAOFF | Q_XQUOTASYNC => {}
        Q_QUOTAON => {
            let v = [
                xval(QUOTA_FORMATS, c.arg(id) & 0xffff_ffff, "QFMT_VFS_???"),
                c.path(addr),
            ];
            c.args.extend(v);
        }
        Q_GETFMT | Q_GETINFO | Q_XGETQSTAT | Q_XGETQSTATV => c.defer(),
        Q_GETQUOTA | Q_GETNEXTQUOTA | Q_XGETQUOTA | Q_XGETNEXTQUOTA => {
            c.push(idv);
            c.defer();
        }
        Q_SETINFO => {
            let v = c.struct_at(c.arg(addr), 24, dqinfo);
            c.push(v);
        }
        Q_SETQUOTA => {
            let v = c.struct_at(c.arg(addr), 72, |c, b| dqblk(c, b, false));
            c.args.extend([idv, v]);
        }
        Q_XSETQLIM => {
            let v = c.struct_at(c.arg(addr), 112, disk_quota);
            c.args.extend([idv, v]);
        }
        Q_XQUOTAON | Q_XQUOTAOFF => {
            let v = flag_word(c, c.arg(addr), XFS_QUOTA_FLAGS, "FS_QUOTA_???");
            c.push(v);
        }
        Q_XQUOTARM => {
            let v = flag_word(c, c.arg(addr), XFS_QUOTA_TYPES, "FS_???_QUOTA");
            c.push(v);
        }
        _ => {
            let v = [idv, c.addr(addr)];
            c.args.extend(v);
        }
    }
}

pub(crate) fn quotactl(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [qcmd(c.arg(0) as u32), c.path(1)];
        c.args.extend(v);
    }
    quota(c, 0);
}

pub(crate) fn quotactl_fd(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [c.fd(0), qcmd(c.arg(1) as u32)];
        c.args.extend(v);
    }
    quota(c, 1);
}
