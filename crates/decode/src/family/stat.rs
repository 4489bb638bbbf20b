//! Decoders for the stat family (stat, lstat, fstat, newfstatat, statx):
//! the output structure is printed at exit, abbreviated as strace does
//! unless `-v`.

use crate::ctx::{flags, le16, le32, le64, mode, Ctx};
use crate::tables::xlat::*;
use crate::value::Value;

/// `makedev(0x1, 0x3)` from a kernel dev_t.
fn makedev(d: u64) -> Value {
    let major = ((d >> 32) & 0xffff_f000) | ((d >> 8) & 0xfff);
    let minor = ((d >> 12) & 0xffff_ff00) | (d & 0xff);
    makedev_parts(major, minor)
}

fn makedev_parts(major: u64, minor: u64) -> Value {
    let h = |v: u64| {
        if v == 0 {
            "0".to_string()
        } else {
            format!("{v:#x}")
        }
    };
    Value::Raw(format!("makedev({}, {})", h(major), h(minor)))
}

/// `2026-11-28T16:06:35.129793561+0000` (UTC) for a timestamp.
pub(crate) fn time_comment(sec: i64, nsec: u64) -> String {
    let days = sec.div_euclid(86400);
    let rem = sec.rem_euclid(86400);
    // civil-from-days (proleptic Gregorian)
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let mut s = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    if nsec != 0 {
        s.push_str(&format!(".{nsec:09}"));
    }
    s.push_str("+0000");
    s
}

fn stamp(sec: i64, nsec: u64) -> Value {
    if sec == 0 && nsec == 0 {
        return Value::Int(0);
    }
    Value::Commented(Box::new(Value::Int(sec)), time_comment(sec, nsec))
}

/// The fields of a struct stat, whatever the ABI layout.
struct StatFields {
    dev: u64,
    ino: u64,
    mode: u64,
    nlink: u64,
    uid: u64,
    gid: u64,
    rdev: u64,
    size: i64,
    blksize: i64,
    blocks: i64,
    times: [(i64, u64); 3],
}

fn format_stat(c: &Ctx<'_>, s: &StatFields) -> Value {
    let is_dev = matches!(s.mode & 0o170000, 0o020000 | 0o060000);
    if !c.opts.verbose {
        let mut fields = crate::pool::take_fields();
        fields.push(("st_mode", mode(s.mode, true)));
        if is_dev {
            fields.push(("st_rdev", makedev(s.rdev)));
        } else {
            fields.push(("st_size", Value::Int(s.size)));
        }
        return Value::Struct { fields, more: true };
    }
    let mut fields = vec![
        ("st_dev", makedev(s.dev)),
        ("st_ino", Value::UInt(s.ino)),
        ("st_mode", mode(s.mode, true)),
        ("st_nlink", Value::UInt(s.nlink)),
        ("st_uid", Value::UInt(s.uid)),
        ("st_gid", Value::UInt(s.gid)),
        ("st_blksize", Value::Int(s.blksize)),
        ("st_blocks", Value::Int(s.blocks)),
    ];
    if is_dev {
        fields.push(("st_rdev", makedev(s.rdev)));
    } else {
        fields.push(("st_size", Value::Int(s.size)));
    }
    for (i, (name, nname)) in [
        ("st_atime", "st_atime_nsec"),
        ("st_mtime", "st_mtime_nsec"),
        ("st_ctime", "st_ctime_nsec"),
    ]
    .into_iter()
    .enumerate()
    {
        let (sec, ns) = s.times[i];
        fields.push((name, stamp(sec, ns)));
        fields.push((nname, Value::UInt(ns)));
    }
    Value::Struct {
        fields,
        more: false,
    }
}

/// A struct stat (x86_64 layout, 144 bytes).
pub(crate) fn stat_bytes(c: &Ctx<'_>, b: &[u8]) -> Value {
    let t = |o| (le64(b, o) as i64, le64(b, o + 8));
    format_stat(
        c,
        &StatFields {
            dev: le64(b, 0),
            ino: le64(b, 8),
            mode: le32(b, 24) as u64,
            nlink: le64(b, 16),
            uid: le32(b, 28) as u64,
            gid: le32(b, 32) as u64,
            rdev: le64(b, 40),
            size: le64(b, 48) as i64,
            blksize: le64(b, 56) as i64,
            blocks: le64(b, 64) as i64,
            times: [t(72), t(88), t(104)],
        },
    )
}

/// A struct stat64 (i386 layout, 96 bytes).
pub(crate) fn stat64_bytes(c: &Ctx<'_>, b: &[u8]) -> Value {
    let t = |o| (le32(b, o) as i32 as i64, le32(b, o + 4) as u64);
    format_stat(
        c,
        &StatFields {
            dev: le64(b, 0),
            ino: le64(b, 88),
            mode: le32(b, 16) as u64,
            nlink: le32(b, 20) as u64,
            uid: le32(b, 24) as u64,
            gid: le32(b, 28) as u64,
            rdev: le64(b, 32),
            size: le64(b, 44) as i64,
            blksize: le32(b, 52) as i64,
            blocks: le64(b, 56) as i64,
            times: [t(64), t(72), t(80)],
        },
    )
}

fn out_stat(c: &mut Ctx<'_>, i: usize) {
    let v = c.out_struct(i, 144, stat_bytes);
    c.push(v);
}

pub(crate) fn stat(c: &mut Ctx<'_>) {
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.defer();
    } else {
        out_stat(c, 1);
    }
}
pub(crate) use stat as lstat;

pub(crate) fn fstat(c: &mut Ctx<'_>) {
    if c.entering() {
        let f = c.fd(0);
        c.push(f);
        c.defer();
    } else {
        out_stat(c, 1);
    }
}

pub(crate) fn newfstatat(c: &mut Ctx<'_>) {
    if c.entering() {
        let d = c.dirfd(0);
        c.push(d);
        let p = c.path(1);
        c.push(p);
        c.defer();
    } else {
        out_stat(c, 2);
        c.push(flags(AT_FLAGS, c.arg(3) & 0xffff_ffff, "AT_???"));
    }
}

/// statx flags: the sync type first, then AT_* bits.
fn statx_flags(f: u64) -> Value {
    if f & 0x6000 == 0 {
        return crate::ctx::flags_with(&"AT_STATX_SYNC_AS_STAT", AT_FLAGS, f);
    }
    let mut names = Vec::new();
    for (bit, n) in [
        (0x2000, "AT_STATX_FORCE_SYNC"),
        (0x4000, "AT_STATX_DONT_SYNC"),
    ] {
        if f & bit != 0 {
            names.push(n);
        }
    }
    let rest = crate::value::flag_names(None, AT_FLAGS, f & !0x6000, |n| names.push(n));
    Value::Flags { names, rest }
}

fn statx_mask(m: u64) -> Value {
    flags(STATX_MASK, m, "STATX_???")
}

fn statx_bytes(c: &Ctx<'_>, b: &[u8]) -> Value {
    let m = le16(b, 28) as u64;
    let attrs = flags(STATX_ATTRS, le64(b, 8), "STATX_ATTR_???");
    if !c.opts.verbose {
        let mut fields = crate::pool::take_fields();
        fields.extend([
            ("stx_mask", statx_mask(le32(b, 0) as u64)),
            ("stx_attributes", attrs),
            ("stx_mode", mode(m, true)),
            ("stx_size", Value::UInt(le64(b, 40))),
        ]);
        return Value::Struct { fields, more: true };
    }
    let ts = |off: usize| {
        let sec = le64(b, off) as i64;
        let ns = le32(b, off + 8) as u64;
        let v = crate::ctx::st(vec![
            ("tv_sec", Value::Int(sec)),
            ("tv_nsec", Value::UInt(ns)),
        ]);
        if sec == 0 && ns == 0 {
            v
        } else {
            Value::Commented(Box::new(v), time_comment(sec, ns))
        }
    };
    let mask = le32(b, 0) as u64;
    let mut fields = vec![
        ("stx_mask", statx_mask(mask)),
        ("stx_blksize", Value::UInt(le32(b, 4) as u64)),
        ("stx_attributes", attrs),
        ("stx_nlink", Value::UInt(le32(b, 16) as u64)),
        ("stx_uid", Value::UInt(le32(b, 20) as u64)),
        ("stx_gid", Value::UInt(le32(b, 24) as u64)),
        ("stx_mode", mode(m, true)),
        ("stx_ino", Value::UInt(le64(b, 32))),
        ("stx_size", Value::UInt(le64(b, 40))),
        ("stx_blocks", Value::UInt(le64(b, 48))),
        (
            "stx_attributes_mask",
            flags(STATX_ATTRS, le64(b, 56), "STATX_ATTR_???"),
        ),
    ];
    // only the timestamps the kernel filled in (stx_mask) are printed
    for (bit, name, off) in [
        (0x20, "stx_atime", 64),
        (0x800, "stx_btime", 80),
        (0x80, "stx_ctime", 96),
        (0x40, "stx_mtime", 112),
    ] {
        if mask & bit != 0 {
            fields.push((name, ts(off)));
        }
    }
    fields.extend([
        ("stx_rdev_major", Value::UInt(le32(b, 128) as u64)),
        ("stx_rdev_minor", Value::UInt(le32(b, 132) as u64)),
        ("stx_dev_major", Value::UInt(le32(b, 136) as u64)),
        ("stx_dev_minor", Value::UInt(le32(b, 140) as u64)),
        ("stx_mnt_id", Value::Hex(le64(b, 144))),
    ]);
    Value::Struct {
        fields,
        more: false,
    }
}

pub(crate) fn statx(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            statx_flags(c.arg(2) & 0xffff_ffff),
            statx_mask(c.arg(3) & 0xffff_ffff),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = c.out_struct(4, 256, statx_bytes);
        c.push(v);
    }
}
