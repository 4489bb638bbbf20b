//! Decoders for memory management calls: brk, mmap, mprotect, munmap,
//! mremap, madvise, mlock and msync. Addresses returned are printed in hex.

use super::ulong;
use crate::ctx::{flags, lookup_ref, xval, Ctx};
use crate::tables::xlat::*;
use crate::value::Value;

/// PROT_* flags (`PROT_NONE` for 0).
pub(crate) fn prot(v: u64) -> Value {
    if v == 0 {
        return Value::Sym("PROT_NONE");
    }
    flags(PROT, v, "PROT_???")
}

/// mmap flags: the mapping type, the flags, then the huge page size.
pub(crate) fn map_flags(v: u64) -> Value {
    let v = v & 0xffff_ffff;
    let kind = lookup_ref(MAP_TYPE, v & 0xf);
    let rest = v & !0xf & ((1 << 26) - 1);
    let huge = v >> 26;
    if let (Some(t), 0) = (kind, huge) {
        // the common case as a flag set: no string built
        return crate::ctx::flags_with(t, MAP_FLAGS, rest);
    }
    let mut s = match kind {
        Some(t) => (*t).to_string(),
        None => format!("{:#x} /* MAP_??? */", v & 0xf),
    };
    if rest != 0 {
        s.push('|');
        s.push_str(&crate::ctx::flags_tail(MAP_FLAGS, rest));
    }
    if huge != 0 {
        s.push_str(&format!("|{huge}<<MAP_HUGE_SHIFT"));
    }
    Value::Raw(s)
}

pub(crate) fn brk(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.addr(0));
    } else {
        c.ret_hex();
    }
}

pub(crate) fn mmap(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            prot(c.arg(2) & 0xffff_ffff),
            map_flags(c.arg(3)),
            c.fd(4),
            Value::Hex(c.arg(5)),
        ];
        c.args.extend(v);
    } else {
        c.ret_hex();
    }
}

pub(crate) fn mprotect(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1), prot(c.arg(2) & 0xffff_ffff)];
        c.args.extend(v);
    }
}

pub(crate) fn munmap(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1)];
        c.args.extend(v);
    }
}
pub(crate) use munmap as mlock;
pub(crate) use munmap as munlock;

pub(crate) fn madvise(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            xval(MADV, c.arg(2) & 0xffff_ffff, "MADV_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mremap(c: &mut Ctx<'_>) {
    if c.entering() {
        let f = c.arg(3) & 0xffff_ffff;
        let mut v = vec![
            c.addr(0),
            ulong(c, 1),
            ulong(c, 2),
            flags(MREMAP_FLAGS, f, "MREMAP_???"),
        ];
        if f & 2 != 0 {
            v.push(c.addr(4));
        }
        c.args.extend(v);
    } else {
        c.ret_hex();
    }
}

pub(crate) fn msync(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            ulong(c, 1),
            flags(MSYNC_FLAGS, c.arg(2) & 0xffff_ffff, "MS_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn mincore(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1)];
        c.args.extend(v);
        c.defer();
    } else {
        let pages = c.arg(1).div_ceil(4096);
        let v = if c.failed() {
            c.addr(2)
        } else {
            super::array_at(c, c.arg(2), pages, 1, |_, b| Value::UInt((b[0] & 1) as u64))
        };
        c.push(v);
    }
}
