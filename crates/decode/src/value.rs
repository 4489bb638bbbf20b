//! A decoded argument as a tree of values. Decoders build values; the text
//! and JSON printers render them.

/// One decoded argument (or part of one).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A signed decimal integer.
    Int(i64),
    /// An unsigned decimal integer.
    UInt(u64),
    /// An integer printed in hex (`0x1f`).
    Hex(u64),
    /// An integer printed in octal (`0644`).
    Oct(u64),
    /// A pointer: `NULL` or `0x7ffd...`.
    Addr(u64),
    /// A file descriptor (AT_FDCWD is a `Sym`).
    Fd(i32),
    /// A quoted string; `truncated` adds strace's `...`.
    Str {
        /// The bytes read.
        bytes: Vec<u8>,
        /// Whether the string was cut at `-s` (or no NUL was found in time).
        truncated: bool,
    },
    /// A symbolic constant such as `AT_FDCWD` or `SIGINT`.
    Sym(&'static str),
    /// A set of flags: names joined with `|`, then leftover bits in hex.
    Flags {
        /// The names of the set bits/values, in table order.
        names: Vec<&'static str>,
        /// Bits no name covered (printed as hex if non-zero or if no names).
        rest: u64,
    },
    /// A set of flags kept as its bits and the table that names them (no
    /// list of names is built): the lead's name if any, then the names of
    /// the table's entries whose bits are all set in `bits` (in table
    /// order, each only if some of its bits are not named yet), then
    /// the bits left over in hex; printed exactly as the [`Value::Flags`]
    /// of those names (see [`flag_names`]).
    FlagBits {
        /// A name printed first (the open access mode, the mmap type).
        /// (A reference to a static name, so that values stay small.)
        lead: Option<&'static &'static str>,
        /// `(bits, name)` entries, in the order they are printed.
        table: &'static [(u64, &'static str)],
        /// The value's bits (the lead's excluded).
        bits: u64,
    },
    /// A structure: `{name=value, ...}`; `more` adds `...` at the end.
    Struct {
        /// Fields in order.
        fields: Vec<(&'static str, Value)>,
        /// Whether fields were left out (abbreviated).
        more: bool,
    },
    /// An array: `[a, b]`; `more` adds `...` at the end.
    Array {
        /// Elements in order.
        items: Vec<Value>,
        /// Whether elements were left out.
        more: bool,
    },
    /// Memory that could not be read: printed as its address.
    Unavailable(u64),
    /// Text already in strace's form (for rare shapes).
    Raw(String),
    /// A value followed by a comment: `0x7ffc /* 21 vars */`.
    Commented(Box<Value>, String),
    /// A value that changed across the call: `before => after`.
    Changed(Box<Value>, Box<Value>),
    /// A named argument or pseudo-field: `child_stack=NULL` (clone).
    Named(&'static str, Box<Value>),
    /// A signal set or similar: `[INT TERM]`, or `~[KILL STOP]` when `negated`.
    Set {
        /// Whether the set is printed as the complement of `items`.
        negated: bool,
        /// The members, space-separated.
        items: Vec<Value>,
    },
    /// Bytes always quoted as `\x` escapes (getrandom's buffer, ...).
    HexStr {
        /// The bytes read.
        bytes: Vec<u8>,
        /// Whether the string was cut at `-s`.
        truncated: bool,
    },
}

/// Calls `f` with the names of a [`Value::FlagBits`] in the order they
/// are printed (its `lead` first) and returns the bits no name covered:
/// the `names` and `rest` of the equivalent [`Value::Flags`].
#[inline]
pub fn flag_names(
    lead: Option<&&'static str>,
    table: &[(u64, &'static str)],
    bits: u64,
    mut f: impl FnMut(&'static str),
) -> u64 {
    if let Some(l) = lead {
        f(l);
    }
    let mut rest = bits;
    for &(b, name) in table {
        if rest == 0 {
            // nothing left to name
            break;
        }
        // (an entry shares bits with `rest` before anything else is
        // asked: most entries are skipped on that one test)
        if b & rest != 0 && bits & b == b {
            f(name);
            rest &= !b;
        }
    }
    rest
}

/// A syscall's return value as strace prints it after ` = `.
#[derive(Debug, Clone, PartialEq)]
pub enum RetValue {
    /// A decimal number.
    Int(i64),
    /// A hex number (mmap, brk ...).
    Hex(u64),
    /// `-1 ENOENT (No such file or directory)`; also ERESTART* which print as `? ERESTARTSYS (...)`.
    Error(i32),
    /// `?`: unknown (e.g. the tracee died in the call, or exit never returns).
    Unknown,
    /// An octal number (umask).
    Oct(u64),
    /// A value with a trailing comment, e.g. `0 (Timeout)` or `0x1 (flags O_WRONLY)`.
    Commented(Box<RetValue>, String),
}

impl RetValue {
    /// Decimal, or an error for -4095..-1.
    #[inline]
    pub fn from_raw(ret: i64) -> RetValue {
        if (-4095..0).contains(&ret) {
            RetValue::Error(-ret as i32)
        } else {
            RetValue::Int(ret)
        }
    }
}
