//! The decoding context handed to every syscall decoder, and the small
//! helper API decoders use to read tracee memory safely (bounded reads,
//! chunked at page boundaries, unreadable memory becomes its address) and
//! to build [`Value`]s from raw numbers and named-constant tables.

use crate::tables::xlat::Xlat;
use crate::value::{RetValue, Value};
use crate::{Abi, Call, DecodeOptions, TraceeMemory};

/// strace's PATH_MAX limit for path names.
pub(crate) const PATH_MAX: usize = 4096;
/// Upper bound on any single memory read a decoder asks for.
pub(crate) const MAX_READ: usize = 1 << 16;
/// Page size used to split reads.
const PAGE: u64 = 4096;
/// A string is first read this far (or to its page's end, if nearer):
/// most are short, and a whole page would be copied for nothing.
const FIRST_CHUNK: usize = 256;

/// One decoder invocation (entry or exit).
pub(crate) struct Ctx<'a> {
    pub opts: &'a DecodeOptions,
    pub call: &'a Call,
    pub mem: &'a dyn TraceeMemory,
    /// `Some(raw return value)` at exit.
    pub exit: Option<i64>,
    /// What the entry decoder saved.
    pub saved_in: &'a [u64],
    /// Arguments decoded in this phase (the caller's vector, appended to).
    pub args: &'a mut Vec<Value>,
    /// Values to carry to exit (the caller's vector, appended to).
    pub saved: &'a mut Vec<u64>,
    /// The return value, if the decoder formats it specially.
    pub ret: Option<RetValue>,
    /// Set at entry when the rest is printed at exit.
    pub deferred: bool,
    /// See `Entered::exit_glue`.
    pub glue: Option<&'static str>,
    /// Set at entry by decoders whose exit phase does nothing (see
    /// [`Ctx::entry_only`]).
    pub entry_only: bool,
}

impl<'a> Ctx<'a> {
    #[inline]
    pub(crate) fn new(
        opts: &'a DecodeOptions,
        call: &'a Call,
        mem: &'a dyn TraceeMemory,
        exit: Option<i64>,
        saved_in: &'a [u64],
        args: &'a mut Vec<Value>,
        saved: &'a mut Vec<u64>,
    ) -> Self {
        Ctx {
            opts,
            call,
            mem,
            exit,
            saved_in,
            args,
            saved,
            ret: None,
            deferred: false,
            glue: None,
            entry_only: false,
        }
    }

    /// Declares that this decoder prints nothing at exit (no arguments,
    /// the plain return value), so that the exit need not be decoded. A
    /// test runs the exit of every such call anyway and checks it.
    pub fn entry_only(&mut self) {
        self.entry_only = true;
    }

    /// Whether this is the entry phase.
    pub fn entering(&self) -> bool {
        self.exit.is_none()
    }

    /// Argument `i`, truncated to 32 bits for i386.
    pub fn arg(&self, i: usize) -> u64 {
        let v = self.call.args.get(i).copied().unwrap_or(0);
        if self.call.abi == Abi::I386 {
            v & 0xffff_ffff
        } else {
            v
        }
    }

    /// Argument `i` as a C `int`.
    pub fn int(&self, i: usize) -> i32 {
        self.arg(i) as i32
    }

    /// The raw return value (0 at entry).
    pub fn retval(&self) -> i64 {
        self.exit.unwrap_or(0)
    }

    /// Whether the call failed (exit only).
    pub fn failed(&self) -> bool {
        matches!(self.exit, Some(r) if (-4095..0).contains(&r))
    }

    /// Print the remaining arguments at exit.
    pub fn defer(&mut self) {
        self.deferred = true;
    }

    /// Appends an argument.
    pub fn push(&mut self, v: Value) {
        self.args.push(v);
    }

    /// The saved value `i` from entry (0 if missing).
    pub fn saved(&self, i: usize) -> u64 {
        self.saved_in.get(i).copied().unwrap_or(0)
    }

    /// Sets the return value's form (only used at exit).
    pub fn set_ret(&mut self, r: RetValue) {
        self.ret = Some(r);
    }

    /// Return value in hex unless it is an error.
    pub fn ret_hex(&mut self) {
        if !self.failed() {
            self.ret = Some(RetValue::Hex(self.retval() as u64));
        }
    }

    /// How many array elements are printed before `...`: `-s` when
    /// abbreviating, unbounded (up to a safety cap) with `-v`, as strace does.
    pub fn elem_limit(&self) -> u64 {
        if self.opts.verbose {
            4096
        } else {
            self.opts.string_limit as u64
        }
    }

    /// Pointer width of the ABI in bytes.
    pub fn ptr_size(&self) -> usize {
        match self.call.abi {
            Abi::X86_64 => 8,
            _ => 4,
        }
    }

    // ---- memory -------------------------------------------------------

    /// Reads exactly `len` bytes (at most [`MAX_READ`]) at `addr`, chunked
    /// at page boundaries. `None` if any part is unreadable or `addr` is NULL.
    pub fn read_bytes(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
        if addr == 0 || len > MAX_READ {
            return None;
        }
        let mut buf = crate::pool::take();
        buf.resize(len, 0);
        let read = if len > 0 && len as u64 <= PAGE - addr % PAGE {
            // within one page (nearly every buffer): one read, the rest
            // chunked only after a short one
            match self.mem.read(addr, &mut buf) {
                Some(got) if got == len => Some(()),
                Some(got) if got > 0 && got < len => {
                    self.read_into(addr + got as u64, &mut buf[got..])
                }
                _ => None,
            }
        } else {
            self.read_into(addr, &mut buf)
        };
        match read {
            Some(()) => Some(buf),
            None => {
                crate::pool::give(buf);
                None
            }
        }
    }

    /// Fills `buf` from `addr`, chunked at page boundaries; `None` if any
    /// part is unreadable.
    pub fn read_into(&self, addr: u64, buf: &mut [u8]) -> Option<()> {
        let len = buf.len();
        let mut done = 0;
        while done < len {
            let a = addr.checked_add(done as u64)?;
            let to_page = (PAGE - a % PAGE) as usize;
            let n = to_page.min(len - done);
            let got = self.mem.read(a, &mut buf[done..done + n])?;
            if got == 0 || got > n {
                return None;
            }
            done += got;
        }
        Some(())
    }

    /// Reads a NUL-terminated string of at most `max` bytes. Returns the
    /// bytes (without the NUL) and whether a NUL was found within `max`.
    /// `None` if the first byte is unreadable.
    pub fn read_cstr(&self, addr: u64, max: usize) -> Option<(Vec<u8>, bool)> {
        if addr == 0 {
            return None;
        }
        let max = max.min(MAX_READ);
        let mut out = crate::pool::take();
        let mut a = addr;
        // read one byte past max to know whether the string ends there
        while out.len() <= max {
            let to_page = (PAGE - a % PAGE) as usize;
            let mut n = to_page.min(max + 1 - out.len());
            if out.is_empty() {
                n = n.min(FIRST_CHUNK);
            }
            let start = out.len();
            out.resize(start + n, 0);
            // an unreadable part (even after a readable start) prints the address
            let got = match self.mem.read(a, &mut out[start..]) {
                Some(g) if g > 0 && g <= n => g,
                _ => {
                    crate::pool::give(out);
                    return None;
                }
            };
            if let Some(p) = find_nul(&out[start..start + got]) {
                out.truncate(start + p);
                if out.len() <= max {
                    return Some((out, true));
                }
                crate::pool::give(out);
                return None;
            }
            out.truncate(start + got);
            a = a.checked_add(got as u64)?;
        }
        out.truncate(max);
        Some((out, false))
    }

    /// Reads a little-endian u64.
    pub fn read_u64(&self, addr: u64) -> Option<u64> {
        if addr == 0 {
            return None;
        }
        let mut b = [0u8; 8];
        self.read_into(addr, &mut b)?;
        Some(u64::from_le_bytes(b))
    }

    /// Reads a little-endian u32.
    pub fn read_u32(&self, addr: u64) -> Option<u32> {
        if addr == 0 {
            return None;
        }
        let mut b = [0u8; 4];
        self.read_into(addr, &mut b)?;
        Some(u32::from_le_bytes(b))
    }

    /// Reads consecutive `size`-byte (4 or 8) little-endian words at `addr`
    /// into `out`: as many as the memory gives in one read that stops at
    /// the end of `addr`'s page (at least one, which may straddle the
    /// page). Returns how many; `None` if unreadable or `addr` is NULL.
    pub fn read_words(&self, addr: u64, size: usize, out: &mut [u64]) -> Option<usize> {
        if addr == 0 || out.is_empty() {
            return None;
        }
        let mut buf = [0u8; 512];
        let to_page = (PAGE - addr % PAGE) as usize;
        let want = (to_page / size).min(out.len()).min(buf.len() / size) * size;
        let got = match want {
            0 => 0,
            _ => self.mem.read(addr, &mut buf[..want]).unwrap_or(0).min(want),
        };
        let n = if got >= size {
            got / size
        } else {
            // a word across the page end, or memory that ends mid-word
            self.read_into(addr, &mut buf[..size])?;
            1
        };
        // (one loop per word size: each word is then a fixed-size load,
        // not a copy of `size` bytes)
        if size == 8 {
            for (o, w) in out.iter_mut().zip(buf[..n * 8].chunks_exact(8)) {
                *o = u64::from_le_bytes(w.try_into().unwrap_or_default());
            }
        } else {
            for (o, w) in out.iter_mut().zip(buf[..n * size].chunks_exact(size)) {
                let mut b = [0u8; 8];
                b[..size].copy_from_slice(w);
                *o = u64::from_le_bytes(b);
            }
        }
        Some(n)
    }

    /// Reads a pointer-sized word.
    pub fn read_ptr(&self, addr: u64) -> Option<u64> {
        if self.ptr_size() == 8 {
            self.read_u64(addr)
        } else {
            self.read_u32(addr).map(u64::from)
        }
    }

    // ---- values -------------------------------------------------------

    /// A file descriptor argument.
    pub fn fd(&self, i: usize) -> Value {
        Value::Fd(self.int(i))
    }

    /// A directory fd argument: `AT_FDCWD` or the number.
    pub fn dirfd(&self, i: usize) -> Value {
        if self.int(i) == -100 {
            Value::Sym("AT_FDCWD")
        } else {
            Value::Fd(self.int(i))
        }
    }

    /// Pointer argument.
    pub fn addr(&self, i: usize) -> Value {
        Value::Addr(self.arg(i))
    }

    /// A path name at `addr`: `NULL`, the address if unreadable, else the
    /// quoted string (up to PATH_MAX, `...` if longer).
    pub fn path_at(&self, addr: u64) -> Value {
        if addr == 0 {
            return Value::Addr(0);
        }
        match self.read_cstr(addr, PATH_MAX) {
            Some((bytes, nul)) => Value::Str {
                bytes,
                truncated: !nul,
            },
            None => Value::Unavailable(addr),
        }
    }

    /// A path argument.
    pub fn path(&self, i: usize) -> Value {
        self.path_at(self.arg(i))
    }

    /// A NUL-terminated string at `addr`, limited by `-s`.
    pub fn cstr_at(&self, addr: u64) -> Value {
        if addr == 0 {
            return Value::Addr(0);
        }
        match self.read_cstr(addr, self.opts.string_limit) {
            Some((bytes, nul)) => Value::Str {
                bytes,
                truncated: !nul,
            },
            None => Value::Unavailable(addr),
        }
    }

    /// A NUL-terminated string argument limited by `-s`.
    pub fn cstr(&self, i: usize) -> Value {
        self.cstr_at(self.arg(i))
    }

    /// A buffer of `len` bytes at `addr`, printed up to `-s` bytes.
    pub fn buf_at(&self, addr: u64, len: u64) -> Value {
        if addr == 0 {
            return Value::Addr(0);
        }
        let limit = self.opts.string_limit as u64;
        let n = len.min(limit) as usize;
        // with -s 0 one byte is still read, so that bad addresses show
        let probe = if n == 0 && len > 0 { 1 } else { n };
        match self.read_bytes(addr, probe) {
            Some(mut bytes) => {
                bytes.truncate(n);
                Value::Str {
                    bytes,
                    truncated: len > limit,
                }
            }
            None => Value::Unavailable(addr),
        }
    }

    /// A buffer argument of `len` bytes, printed as a string.
    pub fn buf(&self, i: usize, len: u64) -> Value {
        self.buf_at(self.arg(i), len)
    }

    /// An output buffer at exit: its address if the call failed, else its
    /// first `ret` bytes.
    pub fn out_buf(&self, i: usize) -> Value {
        if self.failed() {
            self.addr(i)
        } else {
            self.buf(i, self.retval().max(0) as u64)
        }
    }

    /// Reads and decodes a struct at `addr` with `f`, or prints the
    /// address (NULL, unreadable).
    pub fn struct_at(&self, addr: u64, len: usize, f: impl FnOnce(&Self, &[u8]) -> Value) -> Value {
        if addr == 0 {
            return Value::Addr(0);
        }
        match self.read_bytes(addr, len) {
            Some(b) => {
                let v = f(self, &b);
                crate::pool::give(b);
                v
            }
            None => Value::Unavailable(addr),
        }
    }

    /// Output struct at exit: address if the call failed.
    pub fn out_struct(&self, i: usize, len: usize, f: impl FnOnce(&Self, &[u8]) -> Value) -> Value {
        if self.failed() {
            self.addr(i)
        } else {
            self.struct_at(self.arg(i), len, f)
        }
    }
}

// ---- byte helpers -------------------------------------------------------

/// The index of the first NUL byte, looked for a word at a time.
#[inline]
fn find_nul(b: &[u8]) -> Option<usize> {
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    // (a borrow reaches a byte's high bit when the byte is 0, or when a
    // borrow came in from a 0 below it: the lowest flag is exact)
    let zeros = |w: u64| w.wrapping_sub(LO) & !w & HI;
    crate::text::first_marked(b, zeros, |x| x == 0)
}

/// Little-endian u64 at `off` (0 if out of range).
pub(crate) fn le64(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8)
        .map(|s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
        .unwrap_or(0)
}

/// Little-endian u32 at `off` (0 if out of range).
pub(crate) fn le32(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map(|s| u32::from_le_bytes(s.try_into().unwrap_or([0; 4])))
        .unwrap_or(0)
}

/// Little-endian u16 at `off` (0 if out of range).
pub(crate) fn le16(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2)
        .map(|s| u16::from_le_bytes(s.try_into().unwrap_or([0; 2])))
        .unwrap_or(0)
}

// ---- constants ----------------------------------------------------------

/// Flags from a table: names, then leftover bits; `0` if nothing is set
/// (or the table's zero name), `0x.. /* X_??? */` if no name matched.
pub(crate) fn flags(x: Xlat, v: u64, unknown: &'static str) -> Value {
    // (a bit of `v` is named exactly when an entry's bits are all set;
    // no bits, the common `0`, need no walk of the table for that)
    if v != 0 && x.iter().any(|&(bits, _)| bits & v != 0 && v & bits == bits) {
        return Value::FlagBits {
            lead: None,
            table: x,
            bits: v,
        };
    }
    if v == 0 {
        if let Some(&(_, n)) = x.iter().find(|e| e.0 == 0) {
            return Value::Sym(n);
        }
        return Value::Hex(0);
    }
    Value::Commented(Box::new(Value::Hex(v)), unknown.to_string())
}

/// `A|B|0x..` for the bits of `v` (no comment, `0x..` alone if nothing
/// matched): the tail of a composite flags value.
pub(crate) fn flags_tail(x: Xlat, v: u64) -> String {
    let mut s = String::new();
    let mut rest = v;
    for &(bits, name) in x {
        if rest == 0 {
            // nothing left to name
            break;
        }
        if bits != 0 && v & bits == bits && rest & bits != 0 {
            if !s.is_empty() {
                s.push('|');
            }
            s.push_str(name);
            rest &= !bits;
        }
    }
    if rest != 0 {
        if !s.is_empty() {
            s.push('|');
        }
        crate::text::write_hex(&mut s, rest);
    }
    s
}

/// Flags that start with a leading named field (e.g. the open access mode
/// or the mmap type) followed by bit flags. `lead` refers to a static
/// name (a table entry's, see [`lookup_ref`]).
pub(crate) fn flags_with(lead: &'static &'static str, x: Xlat, v: u64) -> Value {
    Value::FlagBits {
        lead: Some(lead),
        table: x,
        bits: v,
    }
}

/// An exact-match constant: the name, else the number in hex with a
/// `/* X_??? */` comment.
pub(crate) fn xval(x: Xlat, v: u64, unknown: &'static str) -> Value {
    match lookup(x, v) {
        Some(n) => Value::Sym(n),
        None => Value::Commented(Box::new(Value::Hex(v)), unknown.to_string()),
    }
}

/// Like [`xval`] but unknown values print in decimal.
pub(crate) fn xval_dec(x: Xlat, v: i64, unknown: &'static str) -> Value {
    match lookup(x, v as u64) {
        Some(n) => Value::Sym(n),
        None => Value::Commented(Box::new(Value::Int(v)), unknown.to_string()),
    }
}

/// The name of a value in a table.
pub(crate) fn lookup(x: Xlat, v: u64) -> Option<&'static str> {
    lookup_ref(x, v).copied()
}

/// [`lookup`], as a reference to the table's name (a flag set's lead).
pub(crate) fn lookup_ref(x: Xlat, v: u64) -> Option<&'static &'static str> {
    x.iter().find(|e| e.0 == v).map(|e| &e.1)
}

/// A signal number argument: `SIGINT`, or the number.
pub(crate) fn signal(sig: i64) -> Value {
    match crate::tables::signals::full(sig) {
        Some(n) => Value::Sym(n),
        None => Value::Int(sig),
    }
}

/// A struct field helper.
pub(crate) fn st(fields: Vec<(&'static str, Value)>) -> Value {
    Value::Struct {
        fields,
        more: false,
    }
}

/// A file mode: `S_IFREG|S_ISUID|0644` style (`with_type` prints S_IF*).
pub(crate) fn mode(m: u64, with_type: bool) -> Value {
    let t = m & 0o170000;
    let ty = if with_type {
        lookup(crate::tables::xlat::S_IFMT, t)
    } else {
        None
    };
    let mut s = crate::pool::take_text();
    let Some(tn) = ty else {
        // numeric form (mkdir, chmod, open ...), or an unknown file type
        push_octal(&mut s, m);
        return Value::Raw(s);
    };
    s.push_str(tn);
    s.push('|');
    let mut m = m & !0o170000;
    for &(bit, name) in crate::tables::xlat::S_ISBITS {
        if m & bit != 0 {
            s.push_str(name);
            s.push('|');
            m &= !bit;
        }
    }
    push_octal(&mut s, m);
    Value::Raw(s)
}

/// C's `0%02o` (a leading 0, then at least two octal digits).
fn push_octal(s: &mut String, m: u64) {
    let mut digits = [b'0'; 23];
    let mut i = digits.len();
    let mut v = m;
    while v != 0 || digits.len() - i < 2 {
        i -= 1;
        digits[i] = b'0' + (v & 7) as u8;
        v >>= 3;
    }
    s.push('0');
    digits[i..].iter().for_each(|&d| s.push(d as char));
}

#[cfg(test)]
mod octal_tests {
    #[test]
    fn find_nul_is_position() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 0..80 {
            for _ in 0..50 {
                // zeros among the bytes that fool a sloppy test
                let v = crate::test_rng::bytes(&mut x, len, |x| {
                    [0, 1, 0x80, 0xff, 0x7f, b'a', 1, 0x81][(x >> 40) as usize & 7]
                });
                assert_eq!(super::find_nul(&v), v.iter().position(|&b| b == 0), "{v:?}");
            }
        }
    }

    #[test]
    fn push_octal_is_c_0_02o() {
        for m in [0u64, 1, 5, 7, 8, 0o644, 0o7777, 0o100644, u64::MAX] {
            let mut s = String::new();
            super::push_octal(&mut s, m);
            assert_eq!(s, format!("0{m:02o}"), "{m:o}");
        }
    }
}

#[cfg(test)]
mod flag_tests {
    use crate::tables::xlat::{AT_FLAGS, MAP_FLAGS, OPEN_FLAGS, PROT};
    use crate::text::value_to_string;
    use crate::{DecodeOptions, Value};

    /// The names and leftover bits of a flag set, the plain way: every
    /// entry whose bits are all set and not all named yet.
    fn reference(x: super::Xlat, v: u64) -> (Vec<&'static str>, u64) {
        let mut rest = v;
        let mut names = Vec::new();
        for &(bits, name) in x {
            if bits != 0 && v & bits == bits && rest & bits != 0 {
                names.push(name);
                rest &= !bits;
            }
        }
        (names, rest)
    }

    #[test]
    fn flag_bits_print_as_their_names() {
        let opts = DecodeOptions::default();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for table in [OPEN_FLAGS, AT_FLAGS, MAP_FLAGS, PROT] {
            let all = table.iter().fold(0, |a, e| a | e.0);
            for i in 0..5000 {
                crate::test_rng::step(&mut x);
                // mostly the table's bits, sometimes others
                let v = match i {
                    0 => 0,
                    _ => x & if x >> 60 == 0 { u64::MAX } else { all } & (x >> 7),
                };
                let (names, rest) = reference(table, v);
                let plain = |names: Vec<&'static str>| {
                    value_to_string(&Value::Flags { names, rest }, &opts)
                };
                let got = value_to_string(&super::flags(table, v, "X_???"), &opts);
                if names.is_empty() {
                    let want = match v {
                        0 => super::lookup(table, 0).unwrap_or("0").to_string(),
                        _ => format!("{v:#x} /* X_??? */"),
                    };
                    assert_eq!(got, want);
                } else {
                    assert_eq!(got, plain(names.clone()), "{v:#x}");
                }
                let with = value_to_string(&super::flags_with(&"LEAD", table, v), &opts);
                let mut lead = vec!["LEAD"];
                lead.extend(names);
                assert_eq!(with, plain(lead), "{v:#x}");
            }
        }
    }
}
