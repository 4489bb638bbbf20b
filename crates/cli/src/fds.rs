//! `-y` / `-yy`: what file descriptors refer to, in strace's forms:
//! `3</etc/passwd>`, `1<pipe:[270971]>`, `5<anon_inode:[eventfd]>`,
//! `AT_FDCWD</home/u>`; with `-yy` also devices (`4</dev/null<char 1:3>>`)
//! and socket addresses (`3<TCP:[127.0.0.1:5555->127.0.0.1:80]>`,
//! `UDPv6:[[::1]:53]`, `UNIX-STREAM:[12345->12346,"/run/x.sock"]`) and
//! pidfds (`3<pid:1234>`).
//!
//! Answers come from `/proc/PID/fd/N` (readlink, and stat for devices),
//! the kernel's sock_diag for UNIX sockets (type, peer, path), and
//! `/proc/PID/net/*` for TCP and UDP (inet_diag for a socket bound but
//! neither listening nor connected, which /proc/net does not list). They are cached per (process, fd);
//! the sink drops a process's entries when one of its syscalls changes its
//! descriptor table or a socket's binding (close, dup*, open*, socket,
//! bind, connect, pipe, fcntl, chdir, ...), when it execs and when it
//! ends, so the names stay right after close, dup2 and exec; only the
//! first use of a descriptor reads /proc. Like strace, a UNIX socket keeps
//! the peer and path it was first seen with.

use ptrail_decode::Line;
use ptrail_render::FdResolver;
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

/// The `-y` cache.
pub struct FdCache {
    /// 1: paths; 2: also devices and socket details (-yy).
    level: u8,
    /// The `-x` level, which paths are escaped with.
    hex: u8,
    cache: RefCell<HashMap<(i32, i32), String>>,
    /// Protocol names of sockets made by socket(2), for sockets that
    /// /proc/net does not list yet (not bound): `TCP:[inode]`.
    protocols: RefCell<HashMap<(i32, i32), &'static str>>,
    /// UNIX sockets by inode, once sock_diag named a peer or a path: kept
    /// as strace keeps them (a socket whose peer closed still shows it).
    unix: RefCell<HashMap<u32, String>>,
}

/// Whether a syscall can change the descriptor table, what a socket is
/// bound or connected to, or the current directory (the cache of the
/// process is dropped at its exit).
pub fn changes_fds(name: &str) -> bool {
    ptrail_render::text::returns_fd(name)
        || matches!(
            name,
            "close"
                | "close_range"
                | "fcntl"
                | "fcntl64"
                | "pipe"
                | "pipe2"
                | "socketpair"
                | "recvmsg"
                | "recvmmsg"
                | "bind"
                | "connect"
                | "listen"
                | "shutdown"
                | "chdir"
                | "fchdir"
                | "chroot"
                | "execve"
                | "execveat"
                | "seccomp"
                | "unshare"
                | "setns"
                | "bpf"
                | "clone"
                | "clone3"
                | "ioctl"
        )
}

impl FdCache {
    /// A cache for `-y` (level 1) or `-yy` (level 2), paths escaped as
    /// `-x` level `hex` says.
    pub fn new(level: u8, hex: u8) -> FdCache {
        FdCache {
            level,
            hex,
            cache: RefCell::new(HashMap::default()),
            protocols: RefCell::new(HashMap::default()),
            unix: RefCell::new(HashMap::default()),
        }
    }

    /// Drops what is known of process `pid`'s descriptors.
    pub fn forget_process(&self, pid: i32) {
        let mut cache = self.cache.borrow_mut();
        if !cache.is_empty() {
            cache.retain(|k, _| k.0 != pid);
        }
    }

    /// At the exit of `socket(domain, type, ...)` = `fd` (-yy): remembers
    /// the protocol name strace shows for it.
    pub fn note_socket(&self, pid: i32, fd: i64, domain: u64, kind: u64) {
        if self.level < 2 || fd < 0 {
            return;
        }
        let stream = kind & 0xf == libc::SOCK_STREAM as u64;
        let name = match domain as i32 {
            libc::AF_INET if stream => "TCP",
            libc::AF_INET => "UDP",
            libc::AF_INET6 if stream => "TCPv6",
            libc::AF_INET6 => "UDPv6",
            libc::AF_UNIX => "UNIX",
            libc::AF_NETLINK => "NETLINK",
            _ => return,
        };
        self.protocols.borrow_mut().insert((pid, fd as i32), name);
    }

    fn resolve(&self, pid: i32, fd: i32) -> String {
        let link = if fd == -100 {
            format!("/proc/{pid}/cwd")
        } else {
            format!("/proc/{pid}/fd/{fd}")
        };
        let Ok(target) = std::fs::read_link(&link) else {
            return String::new();
        };
        let link_target = target;
        // (for the kinds of descriptor, which are ASCII; the path itself is
        // written from its bytes)
        let target = link_target.to_string_lossy();
        let mut s = String::from("<");
        if self.level >= 2 {
            if let Some(inode) = target
                .strip_prefix("socket:[")
                .and_then(|r| r.strip_suffix(']'))
            {
                let hint = self.protocols.borrow().get(&(pid, fd)).copied();
                if let Some(desc) = self
                    .unix_socket(inode)
                    .or_else(|| socket(pid, inode))
                    .or_else(|| inet_diag(hint?, inode.parse().ok()?))
                    .or_else(|| Some(format!("{}:[{inode}]", hint?)))
                {
                    s.push_str(&desc);
                    s.push('>');
                    return s;
                }
            }
        }
        if self.level >= 2 && target == "anon_inode:[pidfd]" {
            // The process a pidfd refers to, from its fdinfo: `<pid:1234>`.
            let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}"));
            let target_pid = info.ok().and_then(|i| {
                i.lines()
                    .find_map(|l| l.strip_prefix("Pid:"))
                    .map(|p| p.trim().to_owned())
            });
            if let Some(p) = target_pid {
                let _ = write!(s, "pid:{p}>");
                return s;
            }
        }
        push_path(
            &mut s,
            std::os::unix::ffi::OsStrExt::as_bytes(link_target.as_os_str()),
            self.hex,
        );
        if self.level >= 2 && target.starts_with('/') {
            if let Ok(meta) = std::fs::metadata(&link) {
                let ft = meta.file_type();
                let kind = if ft.is_char_device() {
                    Some("char")
                } else if ft.is_block_device() {
                    Some("block")
                } else {
                    None
                };
                if let Some(kind) = kind {
                    let rdev = meta.rdev();
                    let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & !0xfff);
                    let minor = (rdev & 0xff) | ((rdev >> 12) & !0xff);
                    let _ = write!(s, "<{kind} {major}:{minor}>");
                }
            }
        }
        s.push('>');
        s
    }
}

/// Appends a descriptor's path as `-y` shows it: escaped as a quoted
/// string is (`hex`: the `-x` level), without the quotes, and with `<` and
/// `>` in octal too, so that the decoration's end stays unambiguous
/// (`</tmp/a\76b>` for `/tmp/a>b`, as strace prints it).
fn push_path(s: &mut String, path: &[u8], hex: u8) {
    let mut quoted = String::with_capacity(path.len() + 2);
    ptrail_decode::text::write_quoted(&mut quoted, path, hex, false);
    let body = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' && c != '>' {
            s.push(c);
            continue;
        }
        // (raw `<` and `>` are the path's own: escapes never make them;
        // three octal digits when a digit follows, as C's escapes go)
        s.push('\\');
        if chars.peek().is_some_and(|n| ('0'..='7').contains(n)) {
            s.push('0');
        }
        s.push_str(if c == '<' { "74" } else { "76" });
    }
}

impl FdResolver for FdCache {
    fn write_fd(&self, pid: i32, fd: i32, out: &mut Line) {
        if let Some(v) = self.cache.borrow().get(&(pid, fd)) {
            out.push_str(v);
            return;
        }
        let v = self.resolve(pid, fd);
        out.push_str(&v);
        self.cache.borrow_mut().insert((pid, fd), v);
    }
}

/// A UNIX socket as the kernel's sock_diag describes it, in strace's form:
/// `UNIX-STREAM:[inode]`, `[inode,"path"]`, `[inode->peer]` or
/// `[inode->peer,"path"]` (`UNIX:` for datagram and seqpacket sockets).
/// None if `inode` is no UNIX socket or sock_diag cannot answer.
fn unix_diag(inode: u32) -> Option<String> {
    use nix::sys::socket::{recv, MsgFlags};
    use std::os::fd::AsRawFd;
    const NLM_F_REQUEST: u16 = 1;
    const UDIAG_SHOW_NAME: u32 = 1;
    const UDIAG_SHOW_PEER: u32 = 4;
    const UNIX_DIAG_NAME: u16 = 0;
    const UNIX_DIAG_PEER: u16 = 2;

    // struct unix_diag_req: family, protocol, pad, states, inode, show,
    // cookie.
    let mut req = Vec::with_capacity(24);
    req.extend_from_slice(&[libc::AF_UNIX as u8, 0, 0, 0]);
    req.extend_from_slice(&u32::MAX.to_ne_bytes()); // every state
    req.extend_from_slice(&inode.to_ne_bytes());
    req.extend_from_slice(&(UDIAG_SHOW_NAME | UDIAG_SHOW_PEER).to_ne_bytes());
    req.extend_from_slice(&[0xff; 8]); // no cookie
    let fd = sock_diag_ask(&req, NLM_F_REQUEST)?;
    let mut buf = [0u8; 8192];
    let n = recv(fd.as_raw_fd(), &mut buf, MsgFlags::empty()).ok()?;
    let msg = buf.get(..n)?;
    let len = (u32_at(msg, 0)? as usize).min(msg.len());
    if u16_at(msg, 4)? != SOCK_DIAG_BY_FAMILY {
        return None;
    }
    // struct unix_diag_msg: family, type, state, pad, ino, cookie[2].
    let body = msg.get(16..len)?;
    if u32_at(body, 4)? != inode {
        return None;
    }
    let kind = if i32::from(*body.get(1)?) == libc::SOCK_STREAM {
        "UNIX-STREAM"
    } else {
        "UNIX"
    };
    let (mut peer, mut path) = (None, None);
    let mut at = 16;
    while at + 4 <= body.len() {
        let alen = u16_at(body, at)? as usize;
        let data = body.get(at + 4..at + alen.max(4))?;
        match u16_at(body, at + 2)? {
            UNIX_DIAG_PEER => peer = u32_at(data, 0),
            UNIX_DIAG_NAME => path = Some(data),
            _ => {}
        }
        at += (alen.max(4) + 3) & !3;
    }
    let mut s = format!("{kind}:[{inode}");
    if let Some(p) = peer.filter(|&p| p != 0) {
        let _ = write!(s, "->{p}");
    }
    if let Some(p) = path.filter(|p| !p.is_empty()) {
        // An abstract name starts with a NUL, which strace shows as '@';
        // a path name may come with its terminating NUL.
        let shown = match p.split_first() {
            Some((0, rest)) => format!("@{}", String::from_utf8_lossy(rest)),
            _ => {
                let end = p.iter().position(|&b| b == 0).unwrap_or(p.len());
                String::from_utf8_lossy(&p[..end]).into_owned()
            }
        };
        let _ = write!(s, ",\"{shown}\"");
    }
    s.push(']');
    Some(s)
}

/// The netlink message type of sock_diag requests and answers.
const SOCK_DIAG_BY_FAMILY: u16 = 20;

/// Sends a sock_diag request (`body` after the netlink header, with the
/// header `flags`) and returns the socket its answer is read from.
fn sock_diag_ask(body: &[u8], flags: u16) -> Option<std::os::fd::OwnedFd> {
    use nix::sys::socket::{
        sendto, socket, AddressFamily, MsgFlags, NetlinkAddr, SockFlag, SockProtocol, SockType,
    };
    use std::os::fd::AsRawFd;
    // struct nlmsghdr: length, type, flags, sequence number, port id.
    let mut req = Vec::with_capacity(16 + body.len());
    req.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    req.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    req.extend_from_slice(&flags.to_ne_bytes());
    req.extend_from_slice(&[0; 8]);
    req.extend_from_slice(body);
    let fd = socket(
        AddressFamily::Netlink,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::NetlinkSockDiag,
    )
    .ok()?;
    sendto(
        fd.as_raw_fd(),
        &req,
        &NetlinkAddr::new(0, 0),
        MsgFlags::empty(),
    )
    .ok()?;
    Some(fd)
}

/// The native-endian u16 / u32 at `i` of a netlink message.
fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// A TCP or UDP socket that /proc/net does not list (bound but neither
/// listening nor connected), from inet_diag, in strace's form
/// (`TCP:[127.0.0.1:8080]`). `proto` is the name socket(2) gave it.
fn inet_diag(proto: &str, inode: u32) -> Option<String> {
    use nix::sys::socket::{recv, MsgFlags};
    use std::os::fd::AsRawFd;
    const NLM_F_REQUEST_DUMP: u16 = 0x301;
    let (family, protocol) = match proto {
        "TCP" => (libc::AF_INET, libc::IPPROTO_TCP),
        "TCPv6" => (libc::AF_INET6, libc::IPPROTO_TCP),
        "UDP" => (libc::AF_INET, libc::IPPROTO_UDP),
        "UDPv6" => (libc::AF_INET6, libc::IPPROTO_UDP),
        _ => return None,
    };
    // struct inet_diag_req_v2: family, protocol, ext, pad, states, and a
    // sockid of zeros: every socket of the family and protocol.
    let mut req = Vec::with_capacity(56);
    req.extend_from_slice(&[family as u8, protocol as u8, 0, 0]);
    req.extend_from_slice(&u32::MAX.to_ne_bytes());
    req.extend_from_slice(&[0; 48]);
    let fd = sock_diag_ask(&req, NLM_F_REQUEST_DUMP)?;
    let port = |b: &[u8], i: usize| Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?));
    let addr = |b: &[u8], i: usize, port: u16| -> Option<String> {
        if family == libc::AF_INET {
            let a = b.get(i..i + 4)?;
            Some(format!("{}.{}.{}.{}:{port}", a[0], a[1], a[2], a[3]))
        } else {
            let a: [u8; 16] = b.get(i..i + 16)?.try_into().ok()?;
            Some(format!("[{}]:{port}", std::net::Ipv6Addr::from(a)))
        }
    };
    let mut buf = vec![0u8; 32 * 1024];
    // A bounded number of reads: a dump comes in batches of messages, and
    // ends with NLMSG_DONE (or an error message).
    for _ in 0..4096 {
        let n = recv(fd.as_raw_fd(), &mut buf, MsgFlags::empty()).ok()?;
        if n == 0 {
            return None;
        }
        let mut at = 0;
        while at + 16 <= n {
            let len = u32_at(&buf, at)? as usize;
            if len < 16 || at + len > n || u16_at(&buf, at + 4)? != SOCK_DIAG_BY_FAMILY {
                return None;
            }
            // struct inet_diag_msg: family, state, timer, retrans, then the
            // sockid (sport, dport big-endian, src[16], dst[16], if,
            // cookie), expires, rqueue, wqueue, uid, inode.
            let m = &buf[at + 16..at + len];
            if u32_at(m, 68)? == inode {
                let (sport, dport) = (port(m, 4)?, port(m, 6)?);
                let mut s = format!("{proto}:[{}", addr(m, 8, sport)?);
                if dport != 0 {
                    s.push_str("->");
                    s.push_str(&addr(m, 24, dport)?);
                }
                s.push(']');
                return Some(s);
            }
            at += (len + 3) & !3;
        }
    }
    None
}

/// An IPv4 or IPv6 address and port as /proc/net prints them
/// (`0100007F:0050`), in strace's form (`127.0.0.1:80`, `[::1]:80`).
fn address(hex: &str) -> Option<String> {
    let (addr, port) = hex.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    if addr.len() == 8 {
        let a = u32::from_str_radix(addr, 16).ok()?.to_le_bytes();
        return Some(format!("{}.{}.{}.{}:{port}", a[0], a[1], a[2], a[3]));
    }
    if addr.len() == 32 {
        let mut bytes = [0u8; 16];
        for i in 0..4 {
            let word = u32::from_str_radix(&addr[8 * i..8 * i + 8], 16).ok()?;
            bytes[4 * i..4 * i + 4].copy_from_slice(&word.to_le_bytes());
        }
        let ip = std::net::Ipv6Addr::from(bytes);
        return Some(format!("[{ip}]:{port}"));
    }
    None
}

impl FdCache {
    /// strace's `-yy` text of UNIX socket `inode`, if it is one.
    fn unix_socket(&self, inode: &str) -> Option<String> {
        let inode: u32 = inode.parse().ok()?;
        if let Some(text) = self.unix.borrow().get(&inode) {
            return Some(text.clone());
        }
        let text = unix_diag(inode)?;
        if text.contains("->") || text.contains(",\"") {
            self.unix.borrow_mut().insert(inode, text.clone());
        }
        Some(text)
    }
}

/// strace's `-yy` text of socket `inode` of process `pid` (TCP and UDP
/// from /proc/PID/net; UNIX sockets there when sock_diag cannot answer).
fn socket(pid: i32, inode: &str) -> Option<String> {
    for (file, proto) in [
        ("tcp", "TCP"),
        ("tcp6", "TCPv6"),
        ("udp", "UDP"),
        ("udp6", "UDPv6"),
    ] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{file}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() > 9 && f[9] == inode {
                let local = address(f[1])?;
                let remote = f[2];
                let unconnected = remote.ends_with(":0000");
                return Some(if unconnected {
                    format!("{proto}:[{local}]")
                } else {
                    format!("{proto}:[{local}->{}]", address(remote)?)
                });
            }
        }
    }
    let text = std::fs::read_to_string(format!("/proc/{pid}/net/unix")).ok()?;
    // Without sock_diag (see unix_diag) there is no peer: strace's form
    // then is `UNIX:[inode]` (`UNIX:[inode,"path"]` when bound to a path).
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() > 6 && f[6] == inode {
            return Some(match f.get(7) {
                Some(path) => format!("UNIX:[{inode},\"{path}\"]"),
                None => format!("UNIX:[{inode}]"),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_addresses() {
        assert_eq!(address("0100007F:0050").unwrap(), "127.0.0.1:80");
        assert_eq!(
            address("00000000000000000000000001000000:0035").unwrap(),
            "[::1]:53"
        );
    }

    #[test]
    fn own_descriptors() {
        let me = std::process::id() as i32;
        let file = std::fs::File::open("/dev/null").unwrap();
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        let c = FdCache::new(2, 0);
        let mut s = Line::new();
        c.write_fd(me, fd, &mut s);
        assert_eq!(s, "</dev/null<char 1:3>>");
        s.clear();
        c.write_fd(me, 9999, &mut s);
        assert_eq!(s, "");
    }
}
