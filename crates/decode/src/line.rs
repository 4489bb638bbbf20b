//! [`Line`]: the byte buffer that output lines are built in.

use std::fmt;

/// A buffer that lines of output are built in, as bytes.
///
/// What goes in is text: `&str` (names, symbols, a path from `/proc`
/// shown by `-y`), copied as its UTF-8 bytes, and ASCII bytes (digits,
/// escapes, the plain runs of a string read from the tracee, which
/// [`crate::text::write_quoted`] has checked byte by byte). So a `Line`
/// holds UTF-8, but unlike a `String` it takes checked ASCII bytes
/// without checking them again: lines are written out as bytes, and
/// nothing needs the buffer's type to say it is UTF-8.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Line(Vec<u8>);

impl Line {
    /// An empty line, allocating nothing.
    pub const fn new() -> Line {
        Line(Vec::new())
    }

    /// An empty line with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Line {
        Line(Vec::with_capacity(capacity))
    }

    /// Appends text (its UTF-8 bytes, as they are).
    #[inline]
    pub fn push_str(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    /// Appends a character: one byte for ASCII (what the printers push;
    /// for a constant the test is decided at compile time), else its
    /// UTF-8 bytes.
    #[inline]
    pub fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.0.push(c as u8);
        } else {
            self.push_str(c.encode_utf8(&mut [0; 4]));
        }
    }

    /// Appends one ASCII byte (a digit, a character of an escape).
    #[inline]
    pub fn push_byte(&mut self, b: u8) {
        debug_assert!(b.is_ascii(), "{b:#x}");
        self.0.push(b);
    }

    /// Appends bytes already checked to be text: printable ASCII or
    /// escapes (in debug builds, checked again).
    #[inline]
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        debug_assert!(std::str::from_utf8(bytes).is_ok(), "{bytes:?}");
        self.0.extend_from_slice(bytes);
    }

    /// The length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the line is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the first `len` bytes.
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// Empties the line (keeping its allocation).
    #[inline]
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Whether the line ends with `suffix`.
    #[inline]
    pub fn ends_with(&self, suffix: &[u8]) -> bool {
        self.0.ends_with(suffix)
    }

    /// Bytes the line can hold without reallocating.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    /// Makes room for at least `additional` more bytes.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }

    /// The bytes, to be written out.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, as a vector.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Write for Line {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }

    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        self.push(c);
        Ok(())
    }
}

/// Shown as text (for test failures).
impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(&self.0), f)
    }
}

impl PartialEq<str> for Line {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for Line {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<String> for Line {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn text_goes_in_as_its_bytes() {
        let mut l = Line::new();
        l.push_str("open(");
        l.push('"');
        l.push_bytes(b"a\\n");
        l.push_byte(b'"');
        l.push('é');
        l.push_str("/tmp/ü");
        let _ = write!(l, " = {}", 3);
        assert_eq!(l, "open(\"a\\n\"é/tmp/ü = 3");
        assert!(l.ends_with(b" = 3"));
        l.truncate(5);
        assert_eq!(l.as_bytes(), b"open(");
        l.clear();
        assert!(l.is_empty());
    }
}
