//! `-P PATH`: show only the syscalls that touch one of the given paths,
//! by a path argument or through a descriptor that refers to it.
//!
//! Which arguments are paths and which are descriptors is decided once per
//! syscall number at startup (strace's rules: the usual `fd, path` pairs,
//! mmap's fd in the fifth argument, and otherwise the first argument of
//! file and descriptor calls). Descriptors are resolved with a readlink of
//! `/proc/PID/fd/N`, cached per process and descriptor; the cache entry
//! goes when the descriptor may change (close, dup2, a call returning it,
//! execve ...).

use crate::qualify::ABIS;
use ptrail_decode::{classes, syscall_class, syscall_list, Abi};
use ptrail_engine::{Tid, Tracee};
use rustc_hash::FxHashMap as HashMap;

/// Arguments of one syscall: bits 0-5 descriptors, bits 8-13 paths.
type ArgSpec = u16;

const fn fds(list: &[usize]) -> ArgSpec {
    let mut m = 0;
    let mut i = 0;
    while i < list.len() {
        m |= 1 << list[i];
        i += 1;
    }
    m
}

const fn paths(list: &[usize]) -> ArgSpec {
    fds(list) << 8
}

/// What a syscall's cache bookkeeping needs at exit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    None,
    /// The descriptor in this argument is gone or replaced.
    Arg(usize),
    /// Any descriptor may have changed.
    All,
    /// The return value is a new descriptor.
    Ret,
}

fn spec_of(name: &str, class: u32) -> ArgSpec {
    match name {
        "dup2" | "dup3" | "kexec_file_load" | "sendfile" | "sendfile64" | "tee" => fds(&[0, 1]),
        "execveat" | "faccessat" | "faccessat2" | "fchmodat" | "fchmodat2" | "fchownat"
        | "fspick" | "fstatat64" | "futimesat" | "inotify_add_watch" | "mkdirat" | "mknodat"
        | "name_to_handle_at" | "newfstatat" | "open_tree" | "openat" | "openat2"
        | "readlinkat" | "statx" | "unlinkat" | "utimensat" | "utimensat_time64" => {
            fds(&[0]) | paths(&[1])
        }
        "link" | "mount" | "pivot_root" => paths(&[0, 1]),
        "quotactl" | "symlink" => paths(&[1]),
        "linkat" | "move_mount" | "renameat" | "renameat2" => fds(&[0, 2]) | paths(&[1, 3]),
        "mmap" | "mmap2" | "old_mmap" => fds(&[4]),
        "symlinkat" => fds(&[1]) | paths(&[2]),
        "copy_file_range" | "splice" => fds(&[0, 2]),
        "epoll_ctl" => fds(&[2]),
        "fanotify_mark" => fds(&[3]) | paths(&[4]),
        // Calls of these classes without descriptor or path arguments.
        "accept"
        | "accept4"
        | "bpf"
        | "epoll_create"
        | "epoll_create1"
        | "eventfd"
        | "eventfd2"
        | "fanotify_init"
        | "inotify_init"
        | "inotify_init1"
        | "io_uring_setup"
        | "memfd_create"
        | "memfd_secret"
        | "perf_event_open"
        | "pidfd_open"
        | "pipe"
        | "pipe2"
        | "socket"
        | "socketpair"
        | "timerfd_create"
        | "userfaultfd"
        | "signalfd"
        | "fsopen"
        | "fsmount"
        | "poll"
        | "ppoll"
        | "select"
        | "pselect6"
        | "_newselect"
        | "oldselect"
        | "sync"
        | "landlock_create_ruleset" => 0,
        _ if class & classes::FILE != 0 => paths(&[0]),
        _ if class & (classes::DESC | classes::NETWORK) != 0 => fds(&[0]),
        _ => 0,
    }
}

fn change_of(name: &str, class: u32) -> Change {
    match name {
        "close" => Change::Arg(0),
        "dup2" | "dup3" => Change::Arg(1),
        "execve" | "execveat" | "close_range" | "pipe" | "pipe2" | "socketpair" | "recvmsg"
        | "recvmmsg" | "unshare" | "fcntl" | "fcntl64" => Change::All,
        _ if class & (classes::DESC | classes::NETWORK | classes::FILE) != 0 => Change::Ret,
        _ => Change::None,
    }
}

/// The `-P` state.
pub struct PathTrace {
    /// The paths as given, and resolved where they exist.
    paths: Vec<Vec<u8>>,
    /// Per ABI, per syscall number: arguments and cache changes.
    table: [Vec<(ArgSpec, Change)>; 3],
    /// (process, descriptor) -> whether it refers to one of the paths.
    cache: HashMap<(Tid, i64), bool>,
}

fn abi_slot(abi: Abi, nr: u64) -> (usize, usize) {
    match abi {
        Abi::X86_64 => (0, nr as usize),
        Abi::I386 => (1, nr as usize),
        Abi::X32 => (2, (nr & !(1 << 30)) as usize),
    }
}

impl PathTrace {
    /// The state for `-P` paths `given`; also returns strace's notes for
    /// paths that resolve to something else ("Requested path ... resolved
    /// into ...").
    pub fn new(given: &[String]) -> (PathTrace, Vec<String>) {
        let mut paths: Vec<Vec<u8>> = Vec::new();
        let mut notes = Vec::new();
        for p in given {
            if !paths.contains(&p.as_bytes().to_vec()) {
                paths.push(p.as_bytes().to_vec());
            }
            if let Ok(real) = std::fs::canonicalize(p) {
                let real = real.to_string_lossy().into_owned();
                if real != *p {
                    notes.push(format!("Requested path \"{p}\" resolved into \"{real}\""));
                    if !paths.contains(&real.as_bytes().to_vec()) {
                        paths.push(real.into_bytes());
                    }
                }
            }
        }
        let table = ABIS.map(|abi| {
            let mut v = Vec::new();
            for (nr, name) in syscall_list(abi) {
                let n = abi_slot(abi, nr).1;
                if v.len() <= n {
                    v.resize(n + 1, (0, Change::None));
                }
                let class = syscall_class(abi, nr);
                v[n] = (spec_of(name, class), change_of(name, class));
            }
            v
        });
        (
            PathTrace {
                paths,
                table,
                cache: HashMap::default(),
            },
            notes,
        )
    }

    fn entry(&self, abi: Abi, nr: u64) -> (ArgSpec, Change) {
        let (a, n) = abi_slot(abi, nr);
        self.table[a].get(n).copied().unwrap_or((0, Change::None))
    }

    fn fd_matches(&mut self, pid: Tid, fd: i64) -> bool {
        if fd < 0 || fd > i32::MAX as i64 {
            return false;
        }
        if let Some(&m) = self.cache.get(&(pid, fd)) {
            return m;
        }
        let m = std::fs::read_link(format!("/proc/{pid}/fd/{fd}"))
            .map(|target| {
                use std::os::unix::ffi::OsStrExt;
                let t = target.as_os_str().as_bytes();
                self.paths.iter().any(|p| p == t)
            })
            .unwrap_or(false);
        self.cache.insert((pid, fd), m);
        m
    }

    fn path_matches(&self, tracee: &Tracee<'_>, addr: u64) -> bool {
        if addr == 0 {
            return false;
        }
        let mut buf = [0u8; 4096];
        let Some(n) = tracee.read_memory(addr, &mut buf) else {
            return false;
        };
        let Some(len) = buf[..n].iter().position(|&b| b == 0) else {
            return false;
        };
        self.paths.iter().any(|p| p[..] == buf[..len])
    }

    /// At syscall entry: whether the call touches one of the paths.
    pub fn matches(&mut self, tracee: &Tracee<'_>, abi: Abi, nr: u64, args: &[u64; 6]) -> bool {
        let (spec, _) = self.entry(abi, nr);
        if spec == 0 {
            return false;
        }
        let pid = tracee.pid();
        let wide = |v: u64| {
            if abi == Abi::I386 {
                v as u32 as i32 as i64
            } else {
                v as i64
            }
        };
        (0..6).any(|i| {
            (spec & (1 << i) != 0 && self.fd_matches(pid, wide(args[i])))
                || (spec & (1 << (i + 8)) != 0 && self.path_matches(tracee, args[i]))
        })
    }

    /// At syscall exit: forget what the call may have changed.
    pub fn after(&mut self, pid: Tid, abi: Abi, nr: u64, args: &[u64; 6], ret: i64) {
        if self.cache.is_empty() {
            return;
        }
        match self.entry(abi, nr).1 {
            Change::None => {}
            Change::Arg(i) => {
                self.cache.remove(&(pid, args[i] as u32 as i32 as i64));
            }
            Change::All => self.forget(pid),
            Change::Ret => {
                if ret >= 0 {
                    self.cache.remove(&(pid, ret));
                }
            }
        }
    }

    /// Forgets what is cached for process `pid`.
    pub fn forget(&mut self, pid: Tid) {
        self.cache.retain(|&(p, _), _| p != pid);
    }
}
