//! `--json`: one JSON object per line and event (JSON lines), schema
//! version 1.
//!
//! Every object has `"v": 1`, `"type"`, `"pid"` (the process), `"tid"`
//! (the thread) and `"timestamp"` (nanoseconds since the epoch). By type:
//!
//! | `type` | further fields |
//! |---|---|
//! | `syscall` | `name`, `args` (array), `retval` (number, or `null` when unknown), optional `errno` (`"ENOENT"`), `comment` (strace's `(...)` after the value), `duration` (ns), `unfinished: true` (the thread never returned: died, exec'd elsewhere, detached), `resumed: true` (the entry was not seen: attached mid-call) |
//! | `signal` | `signal` (`"SIGCHLD"`), `info` (strace's `{si_signo=...}` text) |
//! | `stopped` | `signal` |
//! | `continued` | |
//! | `exit` | `code` |
//! | `killed` | `signal`, `core_dumped` |
//! | `attached` | `process`, `threads` |
//! | `detached` | |
//! | `handed_over` | `tracer` |
//! | `exec` | `old_tid` (the thread that called execve; `tid` is now the process id) |
//! | `dump` | `text` (the `-e read=`/`-e write=` hex dump lines) |
//!
//! A syscall is one object, written when it returns (entry and exit
//! merged). Arguments are structured values:
//! - integers, hex and octal numbers and file descriptors: JSON numbers;
//!   with `-y`, a descriptor whose target is known is
//!   `{"fd": 3, "path": "/etc/passwd"}` (`path` as strace shows it between
//!   `<` and `>`: `pipe:[1234]`, `TCP:[127.0.0.1:80->127.0.0.1:5555]` ...);
//! - pointers: `null` for NULL, else a string `"0x7ffd..."`; memory that
//!   could not be read: `{"unavailable": "0x..."}`;
//! - strings: a JSON string when the bytes are UTF-8, else
//!   `{"bytes": [104, 105]}`; a string cut at `-s` is
//!   `{"str": "...", "truncated": true}` (or `{"bytes": [...], "truncated": true}`);
//! - symbolic constants (`AT_FDCWD`, `SIGINT`) and pre-formatted text: strings;
//! - flags: arrays of names, with leftover bits as a number (`[]` is 0);
//! - structures: objects (`"...": true` when fields were left out);
//! - arrays: arrays (a last element `"..."` when elements were left out);
//! - signal sets: arrays of names, `{"not": [...]}` for `~[...]`;
//! - `name=value` pseudo-arguments: `{"name": value}`;
//! - values with a comment: `{"value": v, "comment": "..."}`;
//! - values changed by the call: `{"before": v, "after": v}`.
//!
//! docs/json.md has examples and `jq` one-liners.

use crate::{FdResolver, Meta, Record, Renderer, Tid};
use ptrail_decode::{errno_name, signal_name, Entered, Exited, Line, RetValue, Value};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

/// The schema version (`"v"`).
pub const VERSION: u32 = 1;

/// Buffered bytes beyond which output is written out.
const FLUSH_BYTES: usize = 32 * 1024;

/// A syscall entered and not yet returned.
#[derive(Default)]
struct Pending {
    active: bool,
    name: String,
    timestamp: u64,
    /// The entry arguments, serialised, comma-separated.
    args: Vec<u8>,
}

/// The JSON lines printer.
pub struct JsonRenderer {
    out: Box<dyn Write>,
    buf: Vec<u8>,
    pending: HashMap<Tid, Pending>,
    pids: HashMap<Tid, Tid>,
    /// `-y`: descriptor targets, and a buffer for them.
    fds: Option<Rc<dyn FdResolver>>,
    scratch: RefCell<Line>,
}

fn push_num(buf: &mut Vec<u8>, n: impl std::fmt::Display) {
    let _ = write!(buf, "{n}");
}

fn push_str(buf: &mut Vec<u8>, s: &str) {
    push_text(buf, s.as_bytes());
}

/// [`push_str`] of UTF-8 text held as bytes (a [`Line`]'s): only ASCII
/// bytes are escaped, so the bytes of other characters, all 0x80 and
/// above, are copied as they are.
fn push_text(buf: &mut Vec<u8>, s: &[u8]) {
    buf.push(b'"');
    for &c in s {
        match c {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            c if c < 0x20 => {
                let _ = write!(buf, "\\u{c:04x}");
            }
            c => buf.push(c),
        }
    }
    buf.push(b'"');
}

fn push_addr(buf: &mut Vec<u8>, a: u64) {
    let _ = write!(buf, "\"{a:#x}\"");
}

fn push_bytes(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.extend_from_slice(b"{\"bytes\":[");
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_num(buf, b);
    }
    buf.push(b']');
}

/// `-y` for JSON: the resolver, the process, and a scratch buffer.
type Fds<'a> = Option<(&'a dyn FdResolver, Tid, &'a RefCell<Line>)>;

/// Appends one value as JSON.
pub fn write_value(buf: &mut Vec<u8>, v: &Value) {
    write_value_fds(buf, v, None)
}

/// [`write_value`]; with `-y`, descriptors whose target is known are
/// `{"fd": 3, "path": "/etc/passwd"}` (`path` is what strace shows between
/// the angle brackets).
fn write_value_fds(buf: &mut Vec<u8>, v: &Value, fds: Fds<'_>) {
    match v {
        Value::Int(i) => push_num(buf, i),
        Value::UInt(u) | Value::Hex(u) | Value::Oct(u) => push_num(buf, u),
        Value::Fd(fd) => {
            let Some((resolver, pid, scratch)) = fds else {
                return push_num(buf, fd);
            };
            let mut s = scratch.borrow_mut();
            s.clear();
            resolver.write_fd(pid, *fd, &mut s);
            let decoration = s.as_bytes();
            match decoration
                .strip_prefix(b"<")
                .and_then(|x| x.strip_suffix(b">"))
            {
                Some(path) => {
                    let _ = write!(buf, "{{\"fd\":{fd},\"path\":");
                    push_text(buf, path);
                    buf.push(b'}');
                }
                None => push_num(buf, fd),
            }
        }
        Value::Addr(0) => buf.extend_from_slice(b"null"),
        Value::Addr(a) => push_addr(buf, *a),
        Value::Unavailable(a) => {
            buf.extend_from_slice(b"{\"unavailable\":");
            push_addr(buf, *a);
            buf.push(b'}');
        }
        Value::Str { bytes, truncated } => match (std::str::from_utf8(bytes), truncated) {
            (Ok(s), false) => push_str(buf, s),
            (Ok(s), true) => {
                buf.extend_from_slice(b"{\"str\":");
                push_str(buf, s);
                buf.extend_from_slice(b",\"truncated\":true}");
            }
            (Err(_), t) => {
                push_bytes(buf, bytes);
                if *t {
                    buf.extend_from_slice(b",\"truncated\":true");
                }
                buf.push(b'}');
            }
        },
        Value::HexStr { bytes, truncated } => {
            push_bytes(buf, bytes);
            if *truncated {
                buf.extend_from_slice(b",\"truncated\":true");
            }
            buf.push(b'}');
        }
        Value::Sym(s) => push_str(buf, s),
        Value::Raw(s) => push_str(buf, s),
        Value::Flags { names, rest } => {
            buf.push(b'[');
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                push_str(buf, n);
            }
            if *rest != 0 {
                if !names.is_empty() {
                    buf.push(b',');
                }
                push_num(buf, rest);
            }
            buf.push(b']');
        }
        Value::FlagBits { lead, table, bits } => {
            // (the names and leftover bits of Flags, found from the table)
            buf.push(b'[');
            let mut named = false;
            let rest = ptrail_decode::value::flag_names(*lead, table, *bits, |n| {
                if named {
                    buf.push(b',');
                }
                push_str(buf, n);
                named = true;
            });
            if rest != 0 {
                if named {
                    buf.push(b',');
                }
                push_num(buf, rest);
            }
            buf.push(b']');
        }
        Value::Struct { fields, more } => {
            buf.push(b'{');
            for (i, (name, val)) in fields.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                if name.is_empty() {
                    let _ = write!(buf, "\"{i}\"");
                } else {
                    push_str(buf, name);
                }
                buf.push(b':');
                write_value_fds(buf, val, fds);
            }
            if *more {
                if !fields.is_empty() {
                    buf.push(b',');
                }
                buf.extend_from_slice(b"\"...\":true");
            }
            buf.push(b'}');
        }
        Value::Array { items, more } => {
            buf.push(b'[');
            write_list_fds(buf, items, fds);
            if *more {
                if !items.is_empty() {
                    buf.push(b',');
                }
                buf.extend_from_slice(b"\"...\"");
            }
            buf.push(b']');
        }
        Value::Set { negated, items } => {
            if *negated {
                buf.extend_from_slice(b"{\"not\":");
            }
            buf.push(b'[');
            write_list_fds(buf, items, fds);
            buf.push(b']');
            if *negated {
                buf.push(b'}');
            }
        }
        Value::Commented(v, c) => {
            buf.extend_from_slice(b"{\"value\":");
            write_value_fds(buf, v, fds);
            buf.extend_from_slice(b",\"comment\":");
            push_str(buf, c);
            buf.push(b'}');
        }
        Value::Changed(a, b) => {
            buf.extend_from_slice(b"{\"before\":");
            write_value_fds(buf, a, fds);
            buf.extend_from_slice(b",\"after\":");
            write_value_fds(buf, b, fds);
            buf.push(b'}');
        }
        Value::Named(n, v) => {
            buf.push(b'{');
            push_str(buf, n);
            buf.push(b':');
            write_value_fds(buf, v, fds);
            buf.push(b'}');
        }
    }
}

fn write_list_fds(buf: &mut Vec<u8>, items: &[Value], fds: Fds<'_>) {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_value_fds(buf, it, fds);
    }
}

/// Appends `"retval":...` and the optional `errno` / `comment` fields.
fn write_ret(buf: &mut Vec<u8>, r: &RetValue) {
    match r {
        RetValue::Int(i) => {
            buf.extend_from_slice(b",\"retval\":");
            push_num(buf, i);
        }
        RetValue::Hex(u) | RetValue::Oct(u) => {
            buf.extend_from_slice(b",\"retval\":");
            push_num(buf, u);
        }
        RetValue::Error(e) => {
            buf.extend_from_slice(b",\"retval\":-1,\"errno\":");
            match errno_name(*e) {
                Some((name, _)) => push_str(buf, name),
                None => {
                    let _ = write!(buf, "\"ERRNO_{e}\"");
                }
            }
        }
        RetValue::Unknown => buf.extend_from_slice(b",\"retval\":null"),
        RetValue::Commented(v, c) => {
            write_ret(buf, v);
            buf.extend_from_slice(b",\"comment\":");
            push_str(buf, c);
        }
    }
}

impl JsonRenderer {
    /// A printer writing JSON lines to `out`.
    pub fn new(out: Box<dyn Write>) -> JsonRenderer {
        JsonRenderer {
            out,
            buf: Vec::with_capacity(8192),
            pending: HashMap::default(),
            pids: HashMap::default(),
            fds: None,
            scratch: RefCell::new(Line::new()),
        }
    }

    /// `-y`: descriptors become `{"fd": 3, "path": "/etc/passwd"}`.
    pub fn set_fd_resolver(&mut self, fds: Rc<dyn FdResolver>) {
        self.fds = Some(fds);
    }

    fn head(&mut self, kind: &str, tid: Tid, pid: Tid, timestamp: u64) {
        let _ = write!(
            self.buf,
            "{{\"v\":{VERSION},\"type\":\"{kind}\",\"pid\":{pid},\"tid\":{tid},\"timestamp\":{timestamp}"
        );
    }

    /// Writes the still pending call of `tid` as unfinished.
    fn unfinished(&mut self, tid: Tid, pid: Tid) {
        let Some(p) = self.pending.get_mut(&tid) else {
            return;
        };
        if !p.active {
            return;
        }
        p.active = false;
        let p = std::mem::take(p);
        self.head("syscall", tid, pid, p.timestamp);
        self.buf.extend_from_slice(b",\"name\":");
        push_str(&mut self.buf, &p.name);
        self.buf.extend_from_slice(b",\"args\":[");
        self.buf.extend_from_slice(&p.args);
        self.buf
            .extend_from_slice(b"],\"retval\":null,\"unfinished\":true}\n");
        // Keep the buffers for the next call.
        self.pending.insert(tid, p);
    }

    fn syscall_exit(&mut self, tid: Tid, name: &str, e: &Entered, x: &Exited, meta: &Meta) {
        let pending = self.pending.get_mut(&tid).filter(|p| p.active);
        let (timestamp, resumed) = match &pending {
            Some(p) => (p.timestamp, false),
            // A whole call: its entry was not seen (attached mid-call: no
            // duration), or not shown (`-e status=` shows calls at exit).
            None => (
                meta.time_ns.saturating_sub(meta.duration_ns.unwrap_or(0)),
                meta.duration_ns.is_none(),
            ),
        };
        let mut args = std::mem::take(&mut self.buf);
        let _ = write!(
            args,
            "{{\"v\":{VERSION},\"type\":\"syscall\",\"pid\":{},\"tid\":{tid},\"timestamp\":{timestamp},\"name\":",
            meta.pid
        );
        push_str(&mut args, name);
        args.extend_from_slice(b",\"args\":[");
        let mut first = true;
        match pending {
            Some(p) => {
                p.active = false;
                args.extend_from_slice(&p.args);
                first = p.args.is_empty();
            }
            None => {
                let fds = self.fds.as_deref().map(|r| (r, meta.pid, &self.scratch));
                write_list_fds(&mut args, &e.args, fds);
                first &= e.args.is_empty();
            }
        }
        for v in &x.args {
            if !first {
                args.push(b',');
            }
            first = false;
            let fds = self.fds.as_deref().map(|r| (r, meta.pid, &self.scratch));
            write_value_fds(&mut args, v, fds);
        }
        args.push(b']');
        write_ret(&mut args, &x.ret);
        if let Some(d) = meta.duration_ns.filter(|_| !resumed) {
            args.extend_from_slice(b",\"duration\":");
            push_num(&mut args, d);
        }
        if resumed {
            args.extend_from_slice(b",\"resumed\":true");
        }
        args.extend_from_slice(b"}\n");
        self.buf = args;
    }

    fn render(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<bool> {
        let pid = if meta.pid != 0 { meta.pid } else { tid };
        self.pids.insert(tid, pid);
        let ts = meta.time_ns;
        let mut urgent = false;
        match *record {
            Record::Attached {
                process, threads, ..
            } => {
                self.head("attached", tid, pid, ts);
                let _ = writeln!(self.buf, ",\"process\":{process},\"threads\":{threads}}}");
            }
            Record::SyscallEntered { name, entered } => {
                self.unfinished(tid, pid);
                let p = self.pending.entry(tid).or_default();
                p.active = true;
                p.timestamp = ts;
                p.name.clear();
                p.name.push_str(name);
                p.args.clear();
                let fds = self.fds.as_deref().map(|r| (r, pid, &self.scratch));
                write_list_fds(&mut p.args, &entered.args, fds);
            }
            Record::SyscallExited {
                name,
                entered,
                exited,
            } => self.syscall_exit(tid, name, entered, exited, meta),
            Record::Signal { sig, info } => {
                self.head("signal", tid, pid, ts);
                self.buf.extend_from_slice(b",\"signal\":");
                push_str(&mut self.buf, &signal_name(sig));
                self.buf.extend_from_slice(b",\"info\":");
                push_str(&mut self.buf, info);
                self.buf.extend_from_slice(b"}\n");
            }
            Record::Stopped { sig } => {
                self.head("stopped", tid, pid, ts);
                self.buf.extend_from_slice(b",\"signal\":");
                push_str(&mut self.buf, &signal_name(sig));
                self.buf.extend_from_slice(b"}\n");
                urgent = true;
            }
            Record::Continued => {
                self.head("continued", tid, pid, ts);
                self.buf.extend_from_slice(b"}\n");
            }
            // The ABI of each call is not part of schema v1; the note is text only.
            Record::Personality { .. } => {}
            Record::ExecSuperseded { old_tid } => {
                self.unfinished(tid, pid);
                if let Some(p) = self.pending.remove(&old_tid) {
                    self.pending.insert(tid, p);
                }
                self.pids.remove(&old_tid);
                self.head("exec", tid, pid, ts);
                let _ = writeln!(self.buf, ",\"old_tid\":{old_tid}}}");
            }
            Record::Exited { code } => {
                self.unfinished(tid, pid);
                self.head("exit", tid, pid, ts);
                let _ = writeln!(self.buf, ",\"code\":{code}}}");
                self.forget(tid);
            }
            Record::Killed { sig, core_dumped } => {
                self.unfinished(tid, pid);
                self.head("killed", tid, pid, ts);
                self.buf.extend_from_slice(b",\"signal\":");
                push_str(&mut self.buf, &signal_name(sig));
                let _ = writeln!(self.buf, ",\"core_dumped\":{core_dumped}}}");
                self.forget(tid);
            }
            Record::Detached => {
                self.unfinished(tid, pid);
                self.head("detached", tid, pid, ts);
                self.buf.extend_from_slice(b"}\n");
                self.forget(tid);
                urgent = true;
            }
            Record::HandedOver { tracer } => {
                self.unfinished(tid, pid);
                self.head("handed_over", tid, pid, ts);
                let _ = writeln!(self.buf, ",\"tracer\":{tracer}}}");
                self.forget(tid);
                urgent = true;
            }
            Record::Dump { text } => {
                self.head("dump", tid, pid, ts);
                self.buf.extend_from_slice(b",\"text\":");
                push_text(&mut self.buf, text);
                self.buf.extend_from_slice(b"}\n");
            }
        }
        Ok(urgent)
    }

    fn forget(&mut self, tid: Tid) {
        self.pending.remove(&tid);
        self.pids.remove(&tid);
    }

    fn write_out(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let res = self.out.write_all(&self.buf);
            self.buf.clear();
            res?;
        }
        self.out.flush()
    }
}

impl Renderer for JsonRenderer {
    fn record(&mut self, tid: Tid, record: &Record<'_>) -> io::Result<()> {
        self.record_meta(tid, record, &Meta::default())
    }

    fn record_meta(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<()> {
        let urgent = self.render(tid, record, meta)?;
        if urgent || self.buf.len() >= FLUSH_BYTES {
            self.write_out()?;
        }
        Ok(())
    }

    fn message(&mut self, text: &str) -> io::Result<()> {
        io::stderr().write_all(format!("ptrail: {text}\n").as_bytes())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_out()
    }

    fn finish(&mut self) -> io::Result<()> {
        let open: Vec<Tid> = self
            .pending
            .iter()
            .filter(|(_, p)| p.active)
            .map(|(t, _)| *t)
            .collect();
        for tid in open {
            let pid = self.pids.get(&tid).copied().unwrap_or(tid);
            self.unfinished(tid, pid);
        }
        self.write_out()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Shared;

    #[test]
    fn merged_syscall_and_values() {
        let out = Shared::default();
        let mut r = JsonRenderer::new(Box::new(out.clone()));
        let e = Entered {
            args: vec![
                Value::Sym("AT_FDCWD"),
                Value::Str {
                    bytes: b"/etc/\"x\"".to_vec(),
                    truncated: false,
                },
                Value::Flags {
                    names: vec!["O_RDONLY", "O_CLOEXEC"],
                    rest: 0,
                },
            ],
            complete: false,
            ..Entered::default()
        };
        let x = Exited {
            args: vec![Value::Str {
                bytes: vec![0xff, 1],
                truncated: true,
            }],
            ret: RetValue::Error(2),
        };
        let meta = Meta {
            pid: 5,
            time_ns: 100,
            ..Meta::default()
        };
        r.record_meta(
            6,
            &Record::SyscallEntered {
                name: &"openat".into(),
                entered: &e,
            },
            &meta,
        )
        .unwrap();
        let meta = Meta {
            pid: 5,
            time_ns: 150,
            duration_ns: Some(50),
            ..Meta::default()
        };
        let rec = Record::SyscallExited {
            name: &std::borrow::Cow::Borrowed("openat"),
            entered: &e,
            exited: &x,
        };
        r.record_meta(6, &rec, &meta).unwrap();
        r.record_meta(
            6,
            &Record::SyscallEntered {
                name: &"exit".into(),
                entered: &e,
            },
            &meta,
        )
        .unwrap();
        r.record_meta(6, &Record::Exited { code: 0 }, &meta)
            .unwrap();
        r.finish().unwrap();
        let text = out.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"v":1,"type":"syscall","pid":5,"tid":6,"timestamp":100,"name":"openat","args":["AT_FDCWD","/etc/\"x\"",["O_RDONLY","O_CLOEXEC"],{"bytes":[255,1],"truncated":true}],"retval":-1,"errno":"ENOENT","duration":50}"#
        );
        assert!(
            lines[1].contains(r#""name":"exit""#)
                && lines[1].ends_with(r#""retval":null,"unfinished":true}"#),
            "{}",
            lines[1]
        );
        assert_eq!(
            lines[2],
            r#"{"v":1,"type":"exit","pid":5,"tid":6,"timestamp":150,"code":0}"#
        );
    }
}
