//! strace's text form of values, argument lists and return values. This is
//! the only place that knows how a [`Value`] looks on screen, so the JSON
//! printer and the text printer can share the same decoded tree.

use crate::{DecodeOptions, Line, RetValue, Value};
use std::fmt::Write;

/// What the number and string writers ([`push_int`], [`push_uint`],
/// [`write_hex`], [`write_quoted`]) append to: a [`Line`] of output, or
/// the `String` of a value's text that a decoder builds (which checks the
/// ASCII bytes it is given, as a `String` must; a `Line` takes them as
/// they are).
pub trait TextOut {
    /// Appends text.
    fn push_str(&mut self, s: &str);
    /// Appends ASCII bytes (the writers pass nothing else).
    fn push_ascii(&mut self, bytes: &[u8]);
    /// Appends one ASCII byte.
    fn push_ascii_byte(&mut self, b: u8);
    /// Makes room for at least `additional` more bytes.
    fn reserve(&mut self, additional: usize);
    /// Appends the first `len` bytes of `bytes` (ASCII): for a `Line`, a
    /// copy of fixed size (no call to copy a few bytes) then a cut.
    #[inline(always)]
    fn push_ascii_first<const N: usize>(&mut self, bytes: &[u8; N], len: usize) {
        self.push_ascii(&bytes[..len]);
    }
}

impl TextOut for Line {
    #[inline(always)]
    fn push_str(&mut self, s: &str) {
        Line::push_str(self, s);
    }
    #[inline(always)]
    fn push_ascii(&mut self, bytes: &[u8]) {
        self.push_bytes(bytes);
    }
    #[inline(always)]
    fn push_ascii_byte(&mut self, b: u8) {
        self.push_byte(b);
    }
    #[inline(always)]
    fn reserve(&mut self, additional: usize) {
        Line::reserve(self, additional);
    }
    #[inline(always)]
    fn push_ascii_first<const N: usize>(&mut self, bytes: &[u8; N], len: usize) {
        let keep = self.len() + len.min(N);
        self.push_bytes(bytes);
        self.truncate(keep);
    }
}

impl TextOut for String {
    #[inline(always)]
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    #[inline]
    fn push_ascii(&mut self, bytes: &[u8]) {
        // (the writers pass ASCII only, so nothing is ever dropped)
        String::push_str(self, std::str::from_utf8(bytes).unwrap_or_default());
    }
    #[inline(always)]
    fn push_ascii_byte(&mut self, b: u8) {
        // (masked so that the compiler knows it is one byte of UTF-8)
        self.push(char::from(b & 0x7f));
    }
    #[inline(always)]
    fn reserve(&mut self, additional: usize) {
        String::reserve(self, additional);
    }
}

/// What file descriptors refer to, for `-y`: appends strace's `<...>`
/// after a descriptor (`3</etc/passwd>`), or nothing when unknown.
/// `AT_FDCWD` is asked for as fd -100 (the current directory).
pub trait FdNames {
    /// Appends the decoration of `fd` (with its angle brackets).
    fn write_fd(&self, out: &mut Line, fd: i32);
}

/// Appends one value as strace prints it.
pub fn write_value(out: &mut Line, v: &Value, opts: &DecodeOptions) {
    write_value_fds(out, v, opts, None)
}

/// [`write_value`] with file descriptors decorated by `fds` (`-y`).
///
/// The scalars every line is made of are handled here (inlined into the
/// argument loop); the other shapes go to an out-of-line function.
#[inline]
pub fn write_value_fds(out: &mut Line, v: &Value, opts: &DecodeOptions, fds: Option<&dyn FdNames>) {
    match v {
        Value::Int(i) => push_int(out, *i),
        Value::UInt(u) => push_uint(out, *u),
        Value::Fd(fd) => {
            push_int(out, i64::from(*fd));
            if let Some(names) = fds {
                names.write_fd(out, *fd);
            }
        }
        Value::Str { bytes, truncated } => {
            write_quoted(out, bytes, opts.hex_strings, false);
            if *truncated {
                out.push_str("...");
            }
        }
        _ => write_value_other(out, v, opts, fds),
    }
}

/// The shapes of [`write_value_fds`] that are not hot scalars.
#[inline(never)]
fn write_value_other(out: &mut Line, v: &Value, opts: &DecodeOptions, fds: Option<&dyn FdNames>) {
    match v {
        // (written by write_value_fds itself)
        Value::Int(_) | Value::UInt(_) | Value::Fd(_) | Value::Str { .. } => {
            write_value_fds(out, v, opts, fds)
        }
        Value::Hex(u) => write_hex(out, *u),
        Value::Oct(u) => {
            let _ = write!(out, "0{u:02o}");
        }
        Value::Addr(0) => out.push_str("NULL"),
        Value::Addr(a) | Value::Unavailable(a) => write_hex(out, *a),
        Value::HexStr { bytes, truncated } => {
            write_quoted(out, bytes, 2, true);
            if *truncated {
                out.push_str("...");
            }
        }
        Value::Sym(s) => {
            out.push_str(s);
            if let (Some(names), "AT_FDCWD") = (fds, *s) {
                names.write_fd(out, -100);
            }
        }
        Value::Flags { names, rest } => {
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                out.push_str(n);
            }
            if names.is_empty() {
                write_hex(out, *rest);
            } else if *rest != 0 {
                out.push('|');
                write_hex(out, *rest);
            }
        }
        Value::FlagBits { lead, table, bits } => {
            let mut named = false;
            let rest = crate::value::flag_names(*lead, table, *bits, |n| {
                if named {
                    out.push('|');
                }
                out.push_str(n);
                named = true;
            });
            if !named {
                write_hex(out, rest);
            } else if rest != 0 {
                out.push('|');
                write_hex(out, rest);
            }
        }
        Value::Struct { fields, more } => {
            out.push('{');
            for (i, (name, val)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !name.is_empty() {
                    out.push_str(name);
                    out.push('=');
                }
                write_value_fds(out, val, opts, fds);
            }
            if *more {
                out.push_str(if fields.is_empty() { "..." } else { ", ..." });
            }
            out.push('}');
        }
        Value::Array { items, more } => {
            out.push('[');
            write_args_fds(out, items, opts, fds);
            if *more {
                out.push_str(if items.is_empty() { "..." } else { ", ..." });
            }
            out.push(']');
        }
        Value::Set { negated, items } => {
            if *negated {
                out.push('~');
            }
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value_fds(out, it, opts, fds);
            }
            out.push(']');
        }
        Value::Raw(s) => out.push_str(s),
        Value::Commented(v, c) => {
            write_value_fds(out, v, opts, fds);
            out.push_str(" /* ");
            out.push_str(c);
            out.push_str(" */");
        }
        Value::Changed(a, b) => {
            write_value_fds(out, a, opts, fds);
            out.push_str(" => ");
            write_value_fds(out, b, opts, fds);
        }
        Value::Named(n, v) => {
            out.push_str(n);
            out.push('=');
            write_value_fds(out, v, opts, fds);
        }
    }
}

/// `0` or `0x...` (C's `%#x`).
pub fn write_hex<O: TextOut + ?Sized>(out: &mut O, u: u64) {
    if u == 0 {
        out.push_ascii_byte(b'0');
        return;
    }
    // All sixteen digits at once (each nibble spread into a byte, then
    // made a digit), shifted up past the leading zeros, after "0x".
    let digits = u128::from(hex_digits((u >> 32) as u32)) << 64 | u128::from(hex_digits(u as u32));
    let zeros = u.leading_zeros() / 4;
    let mut buf = [b'0'; 18];
    buf[1] = b'x';
    buf[2..].copy_from_slice(&(digits << (8 * zeros)).to_be_bytes());
    out.push_ascii_first(&buf, 18 - zeros as usize);
}

/// The eight hex digits of `x`, most significant in the top byte.
#[inline(always)]
fn hex_digits(x: u32) -> u64 {
    let x = u64::from(x);
    let x = (x | (x << 16)) & 0x0000_ffff_0000_ffff;
    let x = (x | (x << 8)) & 0x00ff_00ff_00ff_00ff;
    let x = (x | (x << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    // 0..=9 -> '0'.., 10..=15 -> 'a'.. (a byte is >= 10 when adding 6 carries into bit 4)
    let letters = ((x + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    x + 0x3030_3030_3030_3030 + letters * (b'a' - b'0' - 10) as u64
}

/// A signed decimal, without the formatting machinery (hot path).
#[inline]
pub fn push_int<O: TextOut + ?Sized>(out: &mut O, i: i64) {
    if (0..10).contains(&i) {
        out.push_ascii_byte(b'0' + i as u8);
    } else {
        push_int_long(out, i);
    }
}

/// An unsigned decimal, without the formatting machinery (hot path).
#[inline]
pub fn push_uint<O: TextOut + ?Sized>(out: &mut O, u: u64) {
    if u < 10 {
        out.push_ascii_byte(b'0' + u as u8);
    } else {
        push_uint_long(out, u);
    }
}

#[inline(never)]
fn push_int_long<O: TextOut + ?Sized>(out: &mut O, i: i64) {
    push_long(out, i);
}

#[inline(never)]
fn push_uint_long<O: TextOut + ?Sized>(out: &mut O, u: u64) {
    push_long(out, u);
}

/// A number of two digits or more: 10 to 99 by hand, the rest with itoa.
#[inline(always)]
fn push_long<O: TextOut + ?Sized, I: itoa::Integer + TryInto<u8>>(out: &mut O, v: I) {
    match v.try_into() {
        Ok(d @ 10..=99) => push_two_digits(out, d),
        _ => out.push_str(itoa::Buffer::new().format(v)),
    }
}

/// A number from 10 to 99 (a count, a small return value) without itoa.
#[inline(always)]
fn push_two_digits<O: TextOut + ?Sized>(out: &mut O, u: u8) {
    out.push_ascii_byte(b'0' + u / 10);
    out.push_ascii_byte(b'0' + u % 10);
}

/// Appends `bytes` in double quotes with strace's escaping. `hex` is the
/// `-x` level: 0 escapes only non-printable bytes (in octal), 1 prints the
/// whole string as `\xNN` if any byte is non-printable, 2 (or `force_hex`)
/// always prints `\xNN`.
pub fn write_quoted<O: TextOut + ?Sized>(out: &mut O, bytes: &[u8], hex: u8, force_hex: bool) {
    // Short plain strings (a write of "x", a short name) in one pass.
    if bytes.len() < 8 && hex < 2 && !force_hex && bytes.iter().all(|&c| is_plain(c)) {
        out.reserve(bytes.len() + 2);
        out.push_ascii_byte(b'"');
        // (a byte at a time: cheaper than a call to copy a few)
        bytes.iter().for_each(|&c| out.push_ascii_byte(c));
        out.push_ascii_byte(b'"');
        return;
    }
    let all_hex = force_hex
        || hex >= 2
        || (hex == 1
            && bytes
                .iter()
                .any(|&c| !(0x20..0x7f).contains(&c) && !b"\t\n\x0b\x0c\r".contains(&c)));
    out.push_ascii_byte(b'"');
    if all_hex {
        escape_all_hex(out, bytes);
        out.push_ascii_byte(b'"');
        return;
    }
    // The plain start (often the whole string) goes out as it is, then
    // the rest is escaped.
    let plain = plain_len(bytes);
    out.push_ascii(&bytes[..plain]);
    if plain + 1 == bytes.len() && bytes[plain] == b'\n' {
        // a line of text: only its newline to escape
        out.push_str("\\n\"");
        return;
    }
    if plain < bytes.len() {
        escape_rest(out, bytes, plain);
    }
    out.push_ascii_byte(b'"');
}

/// Whether `c` is printed as it is (printable ASCII but `"` and `\`).
#[inline(always)]
fn is_plain(c: u8) -> bool {
    (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\'
}

/// Eight copies of a byte.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The bytes of `w` (little-endian: the first in memory lowest) that are
/// not plain (see [`is_plain`]), eight at a time: a byte below 0x20, with
/// its high bit set, or equal to 0x7f, `"` or `\\`, each flagged in its
/// high bit. (`v - 0x01..` borrows into a byte's high bit when the byte
/// is zero, or with `0x20..` below 0x20; a borrow can also flag bytes
/// above such a byte, never below it, so the lowest flag is exact.)
#[inline(always)]
fn special_bytes(w: u64) -> u64 {
    const LO: u64 = splat(0x01);
    const HI: u64 = splat(0x80);
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let low = w.wrapping_sub(splat(0x20)) & !w & HI;
    low | (w & HI) | zero(w ^ splat(0x7f)) | zero(w ^ splat(b'"')) | zero(w ^ splat(b'\\'))
}

/// How many bytes at the start of `bytes` are plain (see [`is_plain`]),
/// checked a word at a time.
#[inline]
fn plain_len(bytes: &[u8]) -> usize {
    first_marked(bytes, special_bytes, |c| !is_plain(c)).unwrap_or(bytes.len())
}

/// The index of the first byte of `bytes` that `marks` holds for, looked
/// for a word at a time: `flags(w)` sets the high bit of the bytes of the
/// little-endian word `w` it marks, exactly for the lowest one (a borrow
/// may also flag bytes above a marked one, never below), and flags
/// nothing for a word without marked bytes.
#[inline(always)]
pub(crate) fn first_marked(
    bytes: &[u8],
    flags: impl Fn(u64) -> u64,
    marks: impl Fn(u8) -> bool,
) -> Option<usize> {
    let word = |c: &[u8]| u64::from_le_bytes(<[u8; 8]>::try_from(c).unwrap_or_default());
    let mut i = 0;
    for c in bytes.chunks_exact(8) {
        let f = flags(word(c));
        if f != 0 {
            return Some(i + (f.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let tail = bytes.len() - i;
    if tail == 0 {
        return None;
    }
    if bytes.len() >= 8 {
        // The last word, whose first `8 - tail` bytes are known not to be
        // marked: they flag nothing and lend no borrow, and are shifted out.
        let f = flags(word(&bytes[bytes.len() - 8..])) >> (8 * (8 - tail));
        return (f != 0).then(|| i + (f.trailing_zeros() / 8) as usize);
    }
    bytes[i..].iter().position(|&c| marks(c)).map(|p| p + i)
}

/// Room for one escaped byte (at most 4 characters) in [`Escaped`].
const ESC_ROOM: usize = 4;

/// Escaped text collected on the stack and appended in blocks (only
/// ASCII is ever written into it).
struct Escaped {
    buf: [u8; 128],
    n: usize,
}

impl Escaped {
    #[inline(always)]
    fn new() -> Escaped {
        Escaped {
            buf: [0; 128],
            n: 0,
        }
    }
    /// Makes room for one escaped byte.
    #[inline(always)]
    fn room<O: TextOut + ?Sized>(&mut self, out: &mut O) {
        if self.n > self.buf.len() - ESC_ROOM {
            self.flush(out);
        }
    }
    /// Appends the first `len` (at most 4) bytes of `esc`, with room made
    /// (all four are stored: one store whatever the length).
    #[inline(always)]
    fn put4(&mut self, esc: [u8; 4], len: usize) {
        self.buf[self.n..self.n + 4].copy_from_slice(&esc);
        self.n += len;
    }
    /// Appends a run of plain bytes (straight to `out` if it does not fit).
    #[inline(always)]
    fn put_run<O: TextOut + ?Sized>(&mut self, out: &mut O, run: &[u8]) {
        if run.len() > self.buf.len() - self.n {
            self.flush(out);
            if run.len() > self.buf.len() {
                out.push_ascii(run);
                return;
            }
        }
        self.buf[self.n..self.n + run.len()].copy_from_slice(run);
        self.n += run.len();
    }
    fn flush<O: TextOut + ?Sized>(&mut self, out: &mut O) {
        out.push_ascii(&self.buf[..self.n]);
        self.n = 0;
    }
}

/// strace's `\xNN` for every byte (`-xx`, or `-x` with a non-printable).
#[inline(never)]
fn escape_all_hex<O: TextOut + ?Sized>(out: &mut O, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut e = Escaped::new();
    for &c in bytes {
        e.room(out);
        e.put4(
            [
                b'\\',
                b'x',
                DIGITS[(c >> 4) as usize],
                DIGITS[(c & 0xf) as usize],
            ],
            4,
        );
    }
    e.flush(out);
}

/// How one byte is escaped the `-x`-less way (see [`ESCAPES`]).
#[derive(Clone, Copy)]
struct Escape {
    /// The escape's characters, little-endian (the first in the low
    /// byte), or the byte itself if it is plain.
    word: u32,
    /// How many characters of `word` are printed: 1 for a plain byte,
    /// 2 to 4 for an escape.
    len: u8,
    /// For the octal escapes shorter than three digits, the three-digit
    /// form printed when an octal digit follows (`\0` then `1` is
    /// `\0001`), else 0.
    long: u32,
}

/// The escape of every byte: C escapes (`\n`, `\"` ...), octal for the
/// other non-printable bytes, printable bytes as they are.
static ESCAPES: [Escape; 256] = {
    let mut t = [Escape {
        word: 0,
        len: 0,
        long: 0,
    }; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let (hi, mid, lo) = (b'0' + (b >> 6), b'0' + ((b >> 3) & 7), b'0' + (b & 7));
        let long = u32::from_le_bytes([b'\\', hi, mid, lo]);
        t[c] = match b {
            b'"' | b'\\' => Escape {
                word: u32::from_le_bytes([b'\\', b, 0, 0]),
                len: 2,
                long: 0,
            },
            b'\x0c' | b'\n' | b'\r' | b'\t' | b'\x0b' => {
                let e = match b {
                    b'\x0c' => b'f',
                    b'\n' => b'n',
                    b'\r' => b'r',
                    b'\t' => b't',
                    _ => b'v',
                };
                Escape {
                    word: u32::from_le_bytes([b'\\', e, 0, 0]),
                    len: 2,
                    long: 0,
                }
            }
            0x20..=0x7e => Escape {
                word: b as u32,
                len: 1,
                long: 0,
            },
            0x7f..=0xff => Escape {
                word: long,
                len: 4,
                long: 0,
            },
            0o10..=0x1f => Escape {
                word: u32::from_le_bytes([b'\\', mid, lo, 0]),
                len: 3,
                long,
            },
            _ => Escape {
                word: u32::from_le_bytes([b'\\', lo, 0, 0]),
                len: 2,
                long,
            },
        };
        c += 1;
    }
    t
};

/// Escapes `bytes[from..]` the `-x`-less way: C escapes, octal for the
/// other non-printable bytes (three digits when a digit follows); runs
/// of plain bytes in between go out as they are. Collected in an
/// [`Escaped`] buffer, one table look-up and one store per byte: binary
/// data (an ELF header read) is mostly escapes.
#[inline(never)]
fn escape_rest<O: TextOut + ?Sized>(out: &mut O, bytes: &[u8], from: usize) {
    let mut e = Escaped::new();
    let mut i = from;
    while i < bytes.len() {
        let esc = ESCAPES[usize::from(bytes[i])];
        if esc.len == 1 && bytes.get(i + 1).is_some_and(|&n| is_plain(n)) {
            // a run of plain bytes
            let n = plain_len(&bytes[i..]);
            e.put_run(out, &bytes[i..i + n]);
            i += n;
            continue;
        }
        e.room(out);
        if esc.long != 0 && bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n)) {
            e.put4(esc.long.to_le_bytes(), 4);
        } else {
            e.put4(esc.word.to_le_bytes(), usize::from(esc.len));
        }
        i += 1;
    }
    e.flush(out);
}

/// Appends `a, b, c` (no parentheses).
pub fn write_args(out: &mut Line, args: &[Value], opts: &DecodeOptions) {
    write_args_fds(out, args, opts, None)
}

/// [`write_args`] with `-y` decorations.
#[inline]
pub fn write_args_fds(
    out: &mut Line,
    args: &[Value],
    opts: &DecodeOptions,
    fds: Option<&dyn FdNames>,
) {
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value_fds(out, a, opts, fds);
    }
}

/// Appends the return value as after ` = `: `0`, `0x7f...`,
/// `-1 ENOENT (No such file or directory)`, `? ERESTARTSYS (To be restarted if SA_RESTART is set)`.
#[inline]
pub fn write_ret(out: &mut Line, r: &RetValue) {
    match r {
        RetValue::Int(i) => push_int(out, *i),
        _ => write_ret_other(out, r),
    }
}

/// The return values of [`write_ret`] other than decimals.
#[inline(never)]
fn write_ret_other(out: &mut Line, r: &RetValue) {
    match r {
        RetValue::Int(i) => push_int(out, *i),
        RetValue::Hex(u) => write_hex(out, *u),
        RetValue::Oct(u) => {
            let _ = write!(out, "0{u:02o}");
        }
        RetValue::Error(e) => {
            let restart = (512..=516).contains(e);
            out.push_str(if restart { "? " } else { "-1 " });
            match crate::tables::errno::lookup(*e) {
                // (`ENOENT (No such file or directory)` in one piece)
                Some(errno) => out.push_str(errno.text),
                None => {
                    let _ = write!(out, "ERRNO_{e} (Unknown error {e})");
                }
            }
        }
        RetValue::Unknown => out.push('?'),
        RetValue::Commented(v, c) => {
            write_ret(out, v);
            let _ = write!(out, " ({c})");
        }
    }
}

/// Appends the entry part of a call line after `name(`: the entry
/// arguments and, for an incomplete call, the separator strace prints
/// before `<unfinished ...>` or the exit arguments.
pub fn write_entry(out: &mut Line, entered: &crate::Entered, opts: &DecodeOptions) {
    write_entry_fds(out, entered, opts, None)
}

/// [`write_entry`] with `-y` decorations.
#[inline(always)]
pub fn write_entry_fds(
    out: &mut Line,
    entered: &crate::Entered,
    opts: &DecodeOptions,
    fds: Option<&dyn FdNames>,
) {
    if entered.args.is_empty() {
        return;
    }
    write_args_fds(out, &entered.args, opts, fds);
    if !entered.complete && entered.exit_glue.is_none() {
        out.push_str(", ");
    }
}

/// Appends the exit arguments (after the entry part or `<... x resumed>`),
/// without the closing parenthesis.
pub fn write_exit(
    out: &mut Line,
    entered: &crate::Entered,
    exited: &crate::Exited,
    opts: &DecodeOptions,
) {
    write_exit_fds(out, entered, exited, opts, None)
}

/// [`write_exit`] with `-y` decorations.
#[inline(always)]
pub fn write_exit_fds(
    out: &mut Line,
    entered: &crate::Entered,
    exited: &crate::Exited,
    opts: &DecodeOptions,
    fds: Option<&dyn FdNames>,
) {
    if exited.args.is_empty() {
        return;
    }
    if let Some(g) = entered.exit_glue {
        out.push_str(g);
    }
    write_args_fds(out, &exited.args, opts, fds);
}

/// A whole call line as strace prints it when the call was not
/// interrupted by other output: `name(args) = ret` (no alignment padding).
pub fn format_call(
    name: &str,
    entered: &crate::Entered,
    exited: &crate::Exited,
    opts: &DecodeOptions,
) -> String {
    let mut s = Line::new();
    s.push_str(name);
    s.push('(');
    write_entry(&mut s, entered, opts);
    write_exit(&mut s, entered, exited, opts);
    s.push_str(") = ");
    write_ret(&mut s, &exited.ret);
    into_string(s)
}

/// Convenience: one value as a new string.
pub fn value_to_string(v: &Value, opts: &DecodeOptions) -> String {
    let mut s = Line::new();
    write_value(&mut s, v, opts);
    into_string(s)
}

/// Convenience: the return value as a new string.
pub fn ret_to_string(r: &RetValue) -> String {
    let mut s = Line::new();
    write_ret(&mut s, r);
    into_string(s)
}

/// A line that the writers here built, as a `String`. (They write `&str`
/// text and ASCII only, so the check always passes and nothing is ever
/// replaced.)
fn into_string(line: Line) -> String {
    String::from_utf8(line.into_bytes())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaping rules written the plain way, one byte at a time.
    fn reference_quoted(bytes: &[u8], hex: u8) -> String {
        let printable = |c: u8| (0x20..0x7f).contains(&c);
        let all_hex = hex >= 2
            || (hex == 1
                && bytes
                    .iter()
                    .any(|&c| !printable(c) && !b"\t\n\x0b\x0c\r".contains(&c)));
        let mut out = String::from("\"");
        for (i, &c) in bytes.iter().enumerate() {
            if all_hex {
                out.push_str(&format!("\\x{c:02x}"));
                continue;
            }
            match c {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\x0c' => out.push_str("\\f"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                b'\x0b' => out.push_str("\\v"),
                c if printable(c) => out.push(c as char),
                c => {
                    let next_octal = bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                    if next_octal || c >= 0o100 {
                        out.push_str(&format!("\\{c:03o}"));
                    } else {
                        out.push_str(&format!("\\{c:o}"));
                    }
                }
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn quoting_matches_the_byte_by_byte_rules() {
        // every byte value, in every position, next to digits and long
        // enough runs to fill the escape buffer several times
        let mut cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"x".to_vec(),
            b"plain text that needs no escape at all".to_vec(),
            (0..=255u8).collect(),
            (0..=255u8).rev().collect(),
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01".to_vec(),
            vec![0; 300],
            vec![0xff; 300],
        ];
        for c in 0..=255u8 {
            cases.push(vec![c, b'7', c, b'8', b'a', c]);
            // one byte in a plain run, at every offset in and across words
            for at in 0..40 {
                let mut v = b"/usr/lib/x86_64-linux-gnu/libc.so.6 plain!".to_vec();
                v[at] = c;
                cases.push(v.clone());
                v[at + 1] = b'~';
                v[at + 2] = c;
                cases.push(v);
            }
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..200 {
            cases.push(crate::test_rng::bytes(&mut x, len, |x| x as u8));
        }
        for bytes in &cases {
            for hex in 0..3 {
                let want = reference_quoted(bytes, hex);
                let mut line = Line::new();
                write_quoted(&mut line, bytes, hex, false);
                assert_eq!(line, want, "{bytes:?} -x level {hex}");
                // (a value's text, checked on the way in)
                let mut s = String::new();
                write_quoted(&mut s, bytes, hex, false);
                assert_eq!(s, want, "{bytes:?} -x level {hex} into a String");
            }
        }
    }

    #[test]
    fn plain_len_is_the_first_special_byte() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 0..70 {
            for _ in 0..200 {
                // mostly plain, some of every kind of special byte
                let v = crate::test_rng::bytes(&mut x, len, |x| {
                    let k = (x >> 32) as usize % 40;
                    [0, 1, 0x1f, 0x7f, 0x80, 0xff, b'"', b'\\', b'\n']
                        .get(k)
                        .copied()
                        .unwrap_or(b' ' + (x >> 48) as u8 % 95)
                });
                let want = v.iter().position(|&c| !is_plain(c)).unwrap_or(v.len());
                assert_eq!(plain_len(&v), want, "{v:?}");
            }
        }
    }

    #[test]
    fn numbers_at_their_edges() {
        let mut s = Line::new();
        for i in [0, 9, 10, -1, -10, 99, 12345, i64::MIN, i64::MAX] {
            s.clear();
            push_int(&mut s, i);
            assert_eq!(s, i.to_string());
        }
        for u in [0, 9, 10, 100, u64::MAX] {
            s.clear();
            push_uint(&mut s, u);
            assert_eq!(s, u.to_string());
        }
        for u in [1, 9, 0xa, 0xf, 0x10, 0xff, 0x7ffd_1234_abcd, u64::MAX] {
            s.clear();
            write_hex(&mut s, u);
            assert_eq!(s, format!("{u:#x}"));
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20000 {
            crate::test_rng::step(&mut x);
            for u in [x, (x >> (x % 64)) | 1, x & 0xf0f0_f0f0_0f0f_0f0f | 0x10] {
                s.clear();
                s.push('=');
                write_hex(&mut s, u);
                assert_eq!(s, format!("={u:#x}"));
                // (a value's text)
                let mut t = String::from("=");
                write_hex(&mut t, u);
                assert_eq!(t, format!("={u:#x}"));
            }
        }
        s.clear();
        write_hex(&mut s, 0);
        assert_eq!(s, "0");
    }

    #[test]
    fn values_and_returns() {
        let opts = DecodeOptions::default();
        let args = [
            Value::Fd(3),
            Value::Str {
                bytes: b"x\n\"\\\x01\x017\xff".to_vec(),
                truncated: true,
            },
            Value::UInt(1),
            Value::Addr(0),
            Value::Addr(0x1000),
            Value::Oct(0o644),
            Value::Sym("O_RDONLY"),
            Value::Flags {
                names: vec!["A", "B"],
                rest: 0x40,
            },
        ];
        let mut s = Line::new();
        write_args(&mut s, &args, &opts);
        assert_eq!(
            s,
            "3, \"x\\n\\\"\\\\\\1\\0017\\377\"..., 1, NULL, 0x1000, 0644, O_RDONLY, A|B|0x40"
        );
        let cases = [
            (RetValue::Int(15484), "15484"),
            (RetValue::Int(-5), "-5"),
            (RetValue::Hex(0x7f00), "0x7f00"),
            (RetValue::Error(2), "-1 ENOENT (No such file or directory)"),
            (RetValue::Unknown, "?"),
        ];
        for (r, want) in cases {
            assert_eq!(ret_to_string(&r), want);
        }
    }
}
