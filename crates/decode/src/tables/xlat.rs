//! Named constants (flag bits and enumerations) that decoders print, as
//! `(value, name)` tables in the order strace prints them. One table per
//! constant family; values are the x86_64 kernel ABI values.

/// A table of named values.
pub(crate) type Xlat = &'static [(u64, &'static str)];

/// open(2) flags other than the access mode, in strace's order.
pub(crate) static OPEN_FLAGS: Xlat = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o10000000, "O_PATH"),
    (0o20200000, "O_TMPFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o20000, "FASYNC"),
];

/// AT_* flags.
pub(crate) static AT_FLAGS: Xlat = &[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_REMOVEDIR"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
    (0x8000, "AT_RECURSIVE"),
];

/// faccessat2 flags.
pub(crate) static FACCESSAT_FLAGS: Xlat = &[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_EACCESS"),
    (0x1000, "AT_EMPTY_PATH"),
];

/// statx masks.
pub(crate) static STATX_MASK: Xlat = &[
    (0xfff, "STATX_ALL"),
    (0x7ff, "STATX_BASIC_STATS"),
    (0x1, "STATX_TYPE"),
    (0x2, "STATX_MODE"),
    (0x4, "STATX_NLINK"),
    (0x8, "STATX_UID"),
    (0x10, "STATX_GID"),
    (0x20, "STATX_ATIME"),
    (0x40, "STATX_MTIME"),
    (0x80, "STATX_CTIME"),
    (0x100, "STATX_INO"),
    (0x200, "STATX_SIZE"),
    (0x400, "STATX_BLOCKS"),
    (0x800, "STATX_BTIME"),
    (0x1000, "STATX_MNT_ID"),
    (0x2000, "STATX_DIOALIGN"),
    // Newer bits (STATX_MNT_ID_UNIQUE 0x4000, STATX_SUBVOL 0x8000 ...) are
    // hex in strace 6.1, the reference.
];

/// statx attributes.
pub(crate) static STATX_ATTRS: Xlat = &[
    (0x4, "STATX_ATTR_COMPRESSED"),
    (0x10, "STATX_ATTR_IMMUTABLE"),
    (0x20, "STATX_ATTR_APPEND"),
    (0x40, "STATX_ATTR_NODUMP"),
    (0x800, "STATX_ATTR_ENCRYPTED"),
    (0x1000, "STATX_ATTR_AUTOMOUNT"),
    (0x2000, "STATX_ATTR_MOUNT_ROOT"),
    (0x100000, "STATX_ATTR_VERITY"),
    (0x200000, "STATX_ATTR_DAX"),
    (0x400000, "STATX_ATTR_WRITE_ATOMIC"),
];

/// File types in st_mode.
pub(crate) static S_IFMT: Xlat = &[
    (0o140000, "S_IFSOCK"),
    (0o120000, "S_IFLNK"),
    (0o100000, "S_IFREG"),
    (0o060000, "S_IFBLK"),
    (0o040000, "S_IFDIR"),
    (0o020000, "S_IFCHR"),
    (0o010000, "S_IFIFO"),
];

/// Mode bits above the permissions.
pub(crate) static S_ISBITS: Xlat = &[
    (0o4000, "S_ISUID"),
    (0o2000, "S_ISGID"),
    (0o1000, "S_ISVTX"),
];

/// mmap/mprotect protections.
pub(crate) static PROT: Xlat = &[
    (0x1, "PROT_READ"),
    (0x2, "PROT_WRITE"),
    (0x4, "PROT_EXEC"),
    (0x8, "PROT_SEM"),
    (0x1000000, "PROT_GROWSDOWN"),
    (0x2000000, "PROT_GROWSUP"),
];

/// The mmap mapping type (low bits of the flags).
pub(crate) static MAP_TYPE: Xlat = &[
    (0, "MAP_FILE"),
    (1, "MAP_SHARED"),
    (2, "MAP_PRIVATE"),
    (3, "MAP_SHARED_VALIDATE"),
];

/// mmap flags other than the type.
pub(crate) static MAP_FLAGS: Xlat = &[
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x40, "MAP_32BIT"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
    (0x4000000, "MAP_UNINITIALIZED"),
];

/// mremap flags.
pub(crate) static MREMAP_FLAGS: Xlat = &[
    (1, "MREMAP_MAYMOVE"),
    (2, "MREMAP_FIXED"),
    (4, "MREMAP_DONTUNMAP"),
];

/// msync flags.
pub(crate) static MSYNC_FLAGS: Xlat = &[(4, "MS_SYNC"), (1, "MS_ASYNC"), (2, "MS_INVALIDATE")];

/// madvise advice.
pub(crate) static MADV: Xlat = &[
    (0, "MADV_NORMAL"),
    (1, "MADV_RANDOM"),
    (2, "MADV_SEQUENTIAL"),
    (3, "MADV_WILLNEED"),
    (4, "MADV_DONTNEED"),
    (8, "MADV_FREE"),
    (9, "MADV_REMOVE"),
    (10, "MADV_DONTFORK"),
    (11, "MADV_DOFORK"),
    (12, "MADV_MERGEABLE"),
    (13, "MADV_UNMERGEABLE"),
    (14, "MADV_HUGEPAGE"),
    (15, "MADV_NOHUGEPAGE"),
    (16, "MADV_DONTDUMP"),
    (17, "MADV_DODUMP"),
    (18, "MADV_WIPEONFORK"),
    (19, "MADV_KEEPONFORK"),
    (20, "MADV_COLD"),
    (21, "MADV_PAGEOUT"),
    (22, "MADV_POPULATE_READ"),
    (23, "MADV_POPULATE_WRITE"),
    (24, "MADV_DONTNEED_LOCKED"),
    (25, "MADV_COLLAPSE"),
    (100, "MADV_HWPOISON"),
    (101, "MADV_SOFT_OFFLINE"),
];

/// lseek whence.
pub(crate) static SEEK: Xlat = &[
    (0, "SEEK_SET"),
    (1, "SEEK_CUR"),
    (2, "SEEK_END"),
    (3, "SEEK_DATA"),
    (4, "SEEK_HOLE"),
];

/// fcntl commands.
pub(crate) static FCNTL_CMDS: Xlat = &[
    (0, "F_DUPFD"),
    (1, "F_GETFD"),
    (2, "F_SETFD"),
    (3, "F_GETFL"),
    (4, "F_SETFL"),
    (5, "F_GETLK"),
    (6, "F_SETLK"),
    (7, "F_SETLKW"),
    (8, "F_SETOWN"),
    (9, "F_GETOWN"),
    (10, "F_SETSIG"),
    (11, "F_GETSIG"),
    (15, "F_SETOWN_EX"),
    (16, "F_GETOWN_EX"),
    (17, "F_GETOWNER_UIDS"),
    (36, "F_OFD_GETLK"),
    (37, "F_OFD_SETLK"),
    (38, "F_OFD_SETLKW"),
    (1024, "F_SETLEASE"),
    (1025, "F_GETLEASE"),
    (1026, "F_NOTIFY"),
    (1027, "F_DUPFD_QUERY"),
    (1030, "F_DUPFD_CLOEXEC"),
    (1031, "F_SETPIPE_SZ"),
    (1032, "F_GETPIPE_SZ"),
    (1033, "F_ADD_SEALS"),
    (1034, "F_GET_SEALS"),
    (1035, "F_GET_RW_HINT"),
    (1036, "F_SET_RW_HINT"),
    (1037, "F_GET_FILE_RW_HINT"),
    (1038, "F_SET_FILE_RW_HINT"),
];

/// File descriptor flags.
pub(crate) static FD_FLAGS: Xlat = &[(1, "FD_CLOEXEC")];

/// File seals.
pub(crate) static SEALS: Xlat = &[
    (1, "F_SEAL_SEAL"),
    (2, "F_SEAL_SHRINK"),
    (4, "F_SEAL_GROW"),
    (8, "F_SEAL_WRITE"),
    (0x10, "F_SEAL_FUTURE_WRITE"),
    (0x20, "F_SEAL_EXEC"),
];

/// Lock types.
pub(crate) static LOCK_TYPES: Xlat = &[(0, "F_RDLCK"), (1, "F_WRLCK"), (2, "F_UNLCK")];

/// flock operations.
pub(crate) static FLOCK_OPS: Xlat = &[
    (1, "LOCK_SH"),
    (2, "LOCK_EX"),
    (4, "LOCK_NB"),
    (8, "LOCK_UN"),
    (32, "LOCK_MAND"),
    (192, "LOCK_RW"),
    (64, "LOCK_READ"),
    (128, "LOCK_WRITE"),
];

/// posix_fadvise advice.
pub(crate) static FADV: Xlat = &[
    (0, "POSIX_FADV_NORMAL"),
    (1, "POSIX_FADV_RANDOM"),
    (2, "POSIX_FADV_SEQUENTIAL"),
    (3, "POSIX_FADV_WILLNEED"),
    (4, "POSIX_FADV_DONTNEED"),
    (5, "POSIX_FADV_NOREUSE"),
];

/// sigprocmask how.
pub(crate) static SIG_HOW: Xlat = &[(0, "SIG_BLOCK"), (1, "SIG_UNBLOCK"), (2, "SIG_SETMASK")];

/// sigaction flags.
pub(crate) static SA_FLAGS: Xlat = &[
    (0x4000000, "SA_RESTORER"),
    (0x8000000, "SA_ONSTACK"),
    (0x10000000, "SA_RESTART"),
    (0x40000000, "SA_NODEFER"),
    (0x80000000, "SA_RESETHAND"),
    (0x4, "SA_SIGINFO"),
    (0x1, "SA_NOCLDSTOP"),
    (0x2, "SA_NOCLDWAIT"),
    (0x400, "SA_UNSUPPORTED"),
    (0x800, "SA_EXPOSE_TAGBITS"),
];

/// sigaltstack flags.
pub(crate) static SS_FLAGS: Xlat = &[
    (1, "SS_ONSTACK"),
    (2, "SS_DISABLE"),
    (0x80000000, "SS_AUTODISARM"),
];

/// arch_prctl codes.
pub(crate) static ARCH_PRCTL: Xlat = &[
    (0x1001, "ARCH_SET_GS"),
    (0x1002, "ARCH_SET_FS"),
    (0x1003, "ARCH_GET_FS"),
    (0x1004, "ARCH_GET_GS"),
    (0x1011, "ARCH_GET_CPUID"),
    (0x1012, "ARCH_SET_CPUID"),
    (0x1021, "ARCH_GET_XCOMP_SUPP"),
    (0x1022, "ARCH_GET_XCOMP_PERM"),
    (0x1023, "ARCH_REQ_XCOMP_PERM"),
    (0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
    (0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
    (0x1026, "ARCH_XCOMP_TILECFG"),
    (0x1027, "ARCH_XCOMP_TILEDATA"),
    (0x2001, "ARCH_MAP_VDSO_X32"),
    (0x2002, "ARCH_MAP_VDSO_32"),
    (0x2003, "ARCH_MAP_VDSO_64"),
    (0x4001, "ARCH_GET_UNTAG_MASK"),
    (0x4002, "ARCH_ENABLE_TAGGED_ADDR"),
    (0x4003, "ARCH_GET_MAX_TAG_BITS"),
    (0x4004, "ARCH_FORCE_TAGGED_SVA"),
    (0x5001, "ARCH_SHSTK_ENABLE"),
    (0x5002, "ARCH_SHSTK_DISABLE"),
    (0x5003, "ARCH_SHSTK_LOCK"),
    (0x5004, "ARCH_SHSTK_UNLOCK"),
    (0x5005, "ARCH_SHSTK_STATUS"),
];

/// Resource limits.
pub(crate) static RLIMIT: Xlat = &[
    (0, "RLIMIT_CPU"),
    (1, "RLIMIT_FSIZE"),
    (2, "RLIMIT_DATA"),
    (3, "RLIMIT_STACK"),
    (4, "RLIMIT_CORE"),
    (5, "RLIMIT_RSS"),
    (6, "RLIMIT_NPROC"),
    (7, "RLIMIT_NOFILE"),
    (8, "RLIMIT_MEMLOCK"),
    (9, "RLIMIT_AS"),
    (10, "RLIMIT_LOCKS"),
    (11, "RLIMIT_SIGPENDING"),
    (12, "RLIMIT_MSGQUEUE"),
    (13, "RLIMIT_NICE"),
    (14, "RLIMIT_RTPRIO"),
    (15, "RLIMIT_RTTIME"),
];

/// getrandom flags.
pub(crate) static GRND: Xlat = &[
    (1, "GRND_NONBLOCK"),
    (2, "GRND_RANDOM"),
    (4, "GRND_INSECURE"),
];

/// clone flags (without the exit signal byte).
pub(crate) static CLONE_FLAGS: Xlat = &[
    (0x100, "CLONE_VM"),
    (0x200, "CLONE_FS"),
    (0x400, "CLONE_FILES"),
    (0x800, "CLONE_SIGHAND"),
    (0x1000, "CLONE_PIDFD"),
    (0x2000, "CLONE_PTRACE"),
    (0x4000, "CLONE_VFORK"),
    (0x8000, "CLONE_PARENT"),
    (0x10000, "CLONE_THREAD"),
    (0x20000, "CLONE_NEWNS"),
    (0x40000, "CLONE_SYSVSEM"),
    (0x80000, "CLONE_SETTLS"),
    (0x100000, "CLONE_PARENT_SETTID"),
    (0x200000, "CLONE_CHILD_CLEARTID"),
    (0x400000, "CLONE_DETACHED"),
    (0x800000, "CLONE_UNTRACED"),
    (0x1000000, "CLONE_CHILD_SETTID"),
    (0x2000000, "CLONE_NEWCGROUP"),
    (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"),
    (0x10000000, "CLONE_NEWUSER"),
    (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"),
    (0x80000000, "CLONE_IO"),
    (0x100000000, "CLONE_CLEAR_SIGHAND"),
    (0x200000000, "CLONE_INTO_CGROUP"),
];

/// wait4/waitid options.
pub(crate) static WAIT_OPTIONS: Xlat = &[
    (1, "WNOHANG"),
    (4, "WEXITED"),
    (2, "WSTOPPED"),
    (8, "WCONTINUED"),
    (0x1000000, "WNOWAIT"),
    (0x80000000, "__WCLONE"),
    (0x40000000, "__WALL"),
    (0x20000000, "__WNOTHREAD"),
];

/// waitid id types.
pub(crate) static P_TYPES: Xlat = &[(0, "P_ALL"), (1, "P_PID"), (2, "P_PGID"), (3, "P_PIDFD")];

/// futex operations (low 7 bits).
pub(crate) static FUTEX_OPS: Xlat = &[
    (0, "FUTEX_WAIT"),
    (1, "FUTEX_WAKE"),
    (2, "FUTEX_FD"),
    (3, "FUTEX_REQUEUE"),
    (4, "FUTEX_CMP_REQUEUE"),
    (5, "FUTEX_WAKE_OP"),
    (6, "FUTEX_LOCK_PI"),
    (7, "FUTEX_UNLOCK_PI"),
    (8, "FUTEX_TRYLOCK_PI"),
    (9, "FUTEX_WAIT_BITSET"),
    (10, "FUTEX_WAKE_BITSET"),
    (11, "FUTEX_WAIT_REQUEUE_PI"),
    (12, "FUTEX_CMP_REQUEUE_PI"),
    (13, "FUTEX_LOCK_PI2"),
];

/// Clocks.
pub(crate) static CLOCKS: Xlat = &[
    (0, "CLOCK_REALTIME"),
    (1, "CLOCK_MONOTONIC"),
    (2, "CLOCK_PROCESS_CPUTIME_ID"),
    (3, "CLOCK_THREAD_CPUTIME_ID"),
    (4, "CLOCK_MONOTONIC_RAW"),
    (5, "CLOCK_REALTIME_COARSE"),
    (6, "CLOCK_MONOTONIC_COARSE"),
    (7, "CLOCK_BOOTTIME"),
    (8, "CLOCK_REALTIME_ALARM"),
    (9, "CLOCK_BOOTTIME_ALARM"),
    (11, "CLOCK_TAI"),
];

/// Timer flags.
pub(crate) static TIMER_FLAGS: Xlat = &[(1, "TIMER_ABSTIME")];

/// timerfd flags.
pub(crate) static TFD_FLAGS: Xlat = &[
    (1, "TFD_TIMER_ABSTIME"),
    (2, "TFD_TIMER_CANCEL_ON_SET"),
    (0o2000000, "TFD_CLOEXEC"),
    (0o4000, "TFD_NONBLOCK"),
];

/// eventfd flags.
pub(crate) static EFD_FLAGS: Xlat = &[
    (1, "EFD_SEMAPHORE"),
    (0o2000000, "EFD_CLOEXEC"),
    (0o4000, "EFD_NONBLOCK"),
];

/// signalfd flags.
pub(crate) static SFD_FLAGS: Xlat = &[(0o2000000, "SFD_CLOEXEC"), (0o4000, "SFD_NONBLOCK")];

/// inotify_init1 flags.
pub(crate) static IN_INIT_FLAGS: Xlat = &[(0o4000, "IN_NONBLOCK"), (0o2000000, "IN_CLOEXEC")];

/// inotify event masks.
pub(crate) static IN_MASK: Xlat = &[
    (0x1, "IN_ACCESS"),
    (0x2, "IN_MODIFY"),
    (0x4, "IN_ATTRIB"),
    (0x8, "IN_CLOSE_WRITE"),
    (0x10, "IN_CLOSE_NOWRITE"),
    (0x20, "IN_OPEN"),
    (0x40, "IN_MOVED_FROM"),
    (0x80, "IN_MOVED_TO"),
    (0x100, "IN_CREATE"),
    (0x200, "IN_DELETE"),
    (0x400, "IN_DELETE_SELF"),
    (0x800, "IN_MOVE_SELF"),
    (0x2000, "IN_UNMOUNT"),
    (0x4000, "IN_Q_OVERFLOW"),
    (0x8000, "IN_IGNORED"),
    (0x1000000, "IN_ONLYDIR"),
    (0x2000000, "IN_DONT_FOLLOW"),
    (0x4000000, "IN_EXCL_UNLINK"),
    (0x10000000, "IN_MASK_CREATE"),
    (0x20000000, "IN_MASK_ADD"),
    (0x40000000, "IN_ISDIR"),
    (0x80000000, "IN_ONESHOT"),
];

/// memfd_create flags.
pub(crate) static MFD_FLAGS: Xlat = &[
    (1, "MFD_CLOEXEC"),
    (2, "MFD_ALLOW_SEALING"),
    (4, "MFD_HUGETLB"),
    (8, "MFD_NOEXEC_SEAL"),
    (0x10, "MFD_EXEC"),
];

/// renameat2 flags.
pub(crate) static RENAME_FLAGS: Xlat = &[
    (1, "RENAME_NOREPLACE"),
    (2, "RENAME_EXCHANGE"),
    (4, "RENAME_WHITEOUT"),
];

/// close_range flags.
pub(crate) static CLOSE_RANGE_FLAGS: Xlat =
    &[(2, "CLOSE_RANGE_UNSHARE"), (4, "CLOSE_RANGE_CLOEXEC")];

/// epoll_ctl operations.
pub(crate) static EPOLL_CTL: Xlat = &[
    (1, "EPOLL_CTL_ADD"),
    (2, "EPOLL_CTL_DEL"),
    (3, "EPOLL_CTL_MOD"),
];

/// epoll_create1 flags.
pub(crate) static EPOLL_CREATE_FLAGS: Xlat = &[(0o2000000, "EPOLL_CLOEXEC")];

/// epoll events.
pub(crate) static EPOLL_EVENTS: Xlat = &[
    (0x1, "EPOLLIN"),
    (0x2, "EPOLLPRI"),
    (0x4, "EPOLLOUT"),
    (0x8, "EPOLLERR"),
    (0x10, "EPOLLHUP"),
    (0x20, "EPOLLNVAL"),
    (0x40, "EPOLLRDNORM"),
    (0x80, "EPOLLRDBAND"),
    (0x100, "EPOLLWRNORM"),
    (0x200, "EPOLLWRBAND"),
    (0x400, "EPOLLMSG"),
    (0x2000, "EPOLLRDHUP"),
    (0x8000000, "EPOLLURING_WAKE"),
    (0x10000000, "EPOLLEXCLUSIVE"),
    (0x20000000, "EPOLLWAKEUP"),
    (0x40000000, "EPOLLONESHOT"),
    (0x80000000, "EPOLLET"),
];

/// poll events.
pub(crate) static POLL_EVENTS: Xlat = &[
    (0x1, "POLLIN"),
    (0x2, "POLLPRI"),
    (0x4, "POLLOUT"),
    (0x8, "POLLERR"),
    (0x10, "POLLHUP"),
    (0x20, "POLLNVAL"),
    (0x40, "POLLRDNORM"),
    (0x80, "POLLRDBAND"),
    (0x100, "POLLWRNORM"),
    (0x200, "POLLWRBAND"),
    (0x400, "POLLMSG"),
    (0x1000, "POLLREMOVE"),
    (0x2000, "POLLRDHUP"),
    (0x8000, "POLL_BUSY_LOOP"),
];

/// Address families.
pub(crate) static AF: Xlat = &[
    (0, "AF_UNSPEC"),
    (1, "AF_UNIX"),
    (2, "AF_INET"),
    (3, "AF_AX25"),
    (4, "AF_IPX"),
    (5, "AF_APPLETALK"),
    (6, "AF_NETROM"),
    (7, "AF_BRIDGE"),
    (8, "AF_ATMPVC"),
    (9, "AF_X25"),
    (10, "AF_INET6"),
    (11, "AF_ROSE"),
    (12, "AF_DECnet"),
    (13, "AF_NETBEUI"),
    (14, "AF_SECURITY"),
    (15, "AF_KEY"),
    (16, "AF_NETLINK"),
    (17, "AF_PACKET"),
    (18, "AF_ASH"),
    (19, "AF_ECONET"),
    (20, "AF_ATMSVC"),
    (21, "AF_RDS"),
    (22, "AF_SNA"),
    (23, "AF_IRDA"),
    (24, "AF_PPPOX"),
    (25, "AF_WANPIPE"),
    (26, "AF_LLC"),
    (27, "AF_IB"),
    (28, "AF_MPLS"),
    (29, "AF_CAN"),
    (30, "AF_TIPC"),
    (31, "AF_BLUETOOTH"),
    (32, "AF_IUCV"),
    (33, "AF_RXRPC"),
    (34, "AF_ISDN"),
    (35, "AF_PHONET"),
    (36, "AF_IEEE802154"),
    (37, "AF_CAIF"),
    (38, "AF_ALG"),
    (39, "AF_NFC"),
    (40, "AF_VSOCK"),
    (41, "AF_KCM"),
    (42, "AF_QIPCRTR"),
    (43, "AF_SMC"),
    (44, "AF_XDP"),
    (45, "AF_MCTP"),
];

/// Socket types.
pub(crate) static SOCK_TYPES: Xlat = &[
    (1, "SOCK_STREAM"),
    (2, "SOCK_DGRAM"),
    (3, "SOCK_RAW"),
    (4, "SOCK_RDM"),
    (5, "SOCK_SEQPACKET"),
    (6, "SOCK_DCCP"),
    (10, "SOCK_PACKET"),
];

/// Socket type flags.
pub(crate) static SOCK_FLAGS: Xlat = &[(0o2000000, "SOCK_CLOEXEC"), (0o4000, "SOCK_NONBLOCK")];

/// IP protocols.
pub(crate) static IPPROTO: Xlat = &[
    (0, "IPPROTO_IP"),
    (1, "IPPROTO_ICMP"),
    (2, "IPPROTO_IGMP"),
    (4, "IPPROTO_IPIP"),
    (6, "IPPROTO_TCP"),
    (8, "IPPROTO_EGP"),
    (12, "IPPROTO_PUP"),
    (17, "IPPROTO_UDP"),
    (22, "IPPROTO_IDP"),
    (29, "IPPROTO_TP"),
    (33, "IPPROTO_DCCP"),
    (41, "IPPROTO_IPV6"),
    (46, "IPPROTO_RSVP"),
    (47, "IPPROTO_GRE"),
    (50, "IPPROTO_ESP"),
    (51, "IPPROTO_AH"),
    (58, "IPPROTO_ICMPV6"),
    (92, "IPPROTO_MTP"),
    (94, "IPPROTO_BEETPH"),
    (98, "IPPROTO_ENCAP"),
    (103, "IPPROTO_PIM"),
    (108, "IPPROTO_COMP"),
    (132, "IPPROTO_SCTP"),
    (136, "IPPROTO_UDPLITE"),
    (137, "IPPROTO_MPLS"),
    (143, "IPPROTO_ETHERNET"),
    (255, "IPPROTO_RAW"),
    (262, "IPPROTO_MPTCP"),
];

/// shutdown how.
pub(crate) static SHUT: Xlat = &[(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")];

/// send/recv flags.
pub(crate) static MSG_FLAGS: Xlat = &[
    (0x1, "MSG_OOB"),
    (0x2, "MSG_PEEK"),
    (0x4, "MSG_DONTROUTE"),
    (0x8, "MSG_CTRUNC"),
    (0x10, "MSG_PROBE"),
    (0x20, "MSG_TRUNC"),
    (0x40, "MSG_DONTWAIT"),
    (0x80, "MSG_EOR"),
    (0x100, "MSG_WAITALL"),
    (0x200, "MSG_FIN"),
    (0x400, "MSG_SYN"),
    (0x800, "MSG_CONFIRM"),
    (0x1000, "MSG_RST"),
    (0x2000, "MSG_ERRQUEUE"),
    (0x4000, "MSG_NOSIGNAL"),
    (0x8000, "MSG_MORE"),
    (0x10000, "MSG_WAITFORONE"),
    (0x20000, "MSG_SENDPAGE_NOTLAST"),
    (0x40000, "MSG_BATCH"),
    (0x80000, "MSG_NO_SHARED_FRAGS"),
    (0x4000000, "MSG_ZEROCOPY"),
    (0x20000000, "MSG_FASTOPEN"),
    (0x40000000, "MSG_CMSG_CLOEXEC"),
    (0x80000000, "MSG_CMSG_COMPAT"),
];

/// Socket option levels.
pub(crate) static SOL: Xlat = &[
    (0, "SOL_IP"),
    (1, "SOL_SOCKET"),
    (6, "SOL_TCP"),
    (17, "SOL_UDP"),
    (41, "SOL_IPV6"),
    (58, "SOL_ICMPV6"),
    (255, "SOL_RAW"),
    (263, "SOL_PACKET"),
    (270, "SOL_NETLINK"),
];

/// SOL_SOCKET options.
pub(crate) static SO: Xlat = &[
    (1, "SO_DEBUG"),
    (2, "SO_REUSEADDR"),
    (3, "SO_TYPE"),
    (4, "SO_ERROR"),
    (5, "SO_DONTROUTE"),
    (6, "SO_BROADCAST"),
    (7, "SO_SNDBUF"),
    (8, "SO_RCVBUF"),
    (9, "SO_KEEPALIVE"),
    (10, "SO_OOBINLINE"),
    (11, "SO_NO_CHECK"),
    (12, "SO_PRIORITY"),
    (13, "SO_LINGER"),
    (14, "SO_BSDCOMPAT"),
    (15, "SO_REUSEPORT"),
    (16, "SO_PASSCRED"),
    (17, "SO_PEERCRED"),
    (18, "SO_RCVLOWAT"),
    (19, "SO_SNDLOWAT"),
    (20, "SO_RCVTIMEO_OLD"),
    (21, "SO_SNDTIMEO_OLD"),
    (25, "SO_BINDTODEVICE"),
    (26, "SO_ATTACH_FILTER"),
    (27, "SO_DETACH_FILTER"),
    (28, "SO_PEERNAME"),
    (29, "SO_TIMESTAMP_OLD"),
    (30, "SO_ACCEPTCONN"),
    (31, "SO_PEERSEC"),
    (32, "SO_SNDBUFFORCE"),
    (33, "SO_RCVBUFFORCE"),
    (34, "SO_PASSSEC"),
    (35, "SO_TIMESTAMPNS_OLD"),
    (36, "SO_MARK"),
    (37, "SO_TIMESTAMPING_OLD"),
    (38, "SO_PROTOCOL"),
    (39, "SO_DOMAIN"),
    (40, "SO_RXQ_OVFL"),
    (41, "SO_WIFI_STATUS"),
    (42, "SO_PEEK_OFF"),
    (43, "SO_NOFCS"),
    (44, "SO_LOCK_FILTER"),
    (45, "SO_SELECT_ERR_QUEUE"),
    (46, "SO_BUSY_POLL"),
    (47, "SO_MAX_PACING_RATE"),
    (48, "SO_BPF_EXTENSIONS"),
    (49, "SO_INCOMING_CPU"),
    (50, "SO_ATTACH_BPF"),
    (59, "SO_PEERGROUPS"),
    (60, "SO_ZEROCOPY"),
];

/// TCP options.
pub(crate) static TCP_OPTS: Xlat = &[
    (1, "TCP_NODELAY"),
    (2, "TCP_MAXSEG"),
    (3, "TCP_CORK"),
    (4, "TCP_KEEPIDLE"),
    (5, "TCP_KEEPINTVL"),
    (6, "TCP_KEEPCNT"),
    (7, "TCP_SYNCNT"),
    (8, "TCP_LINGER2"),
    (9, "TCP_DEFER_ACCEPT"),
    (10, "TCP_WINDOW_CLAMP"),
    (11, "TCP_INFO"),
    (12, "TCP_QUICKACK"),
    (13, "TCP_CONGESTION"),
    (23, "TCP_FASTOPEN"),
];

/// prctl options.
pub(crate) static PR_OPTIONS: Xlat = &[
    (1, "PR_SET_PDEATHSIG"),
    (2, "PR_GET_PDEATHSIG"),
    (3, "PR_GET_DUMPABLE"),
    (4, "PR_SET_DUMPABLE"),
    (5, "PR_GET_UNALIGN"),
    (6, "PR_SET_UNALIGN"),
    (7, "PR_GET_KEEPCAPS"),
    (8, "PR_SET_KEEPCAPS"),
    (9, "PR_GET_FPEMU"),
    (10, "PR_SET_FPEMU"),
    (11, "PR_GET_FPEXC"),
    (12, "PR_SET_FPEXC"),
    (13, "PR_GET_TIMING"),
    (14, "PR_SET_TIMING"),
    (15, "PR_SET_NAME"),
    (16, "PR_GET_NAME"),
    (19, "PR_GET_ENDIAN"),
    (20, "PR_SET_ENDIAN"),
    (21, "PR_GET_SECCOMP"),
    (22, "PR_SET_SECCOMP"),
    (23, "PR_CAPBSET_READ"),
    (24, "PR_CAPBSET_DROP"),
    (25, "PR_GET_TSC"),
    (26, "PR_SET_TSC"),
    (27, "PR_GET_SECUREBITS"),
    (28, "PR_SET_SECUREBITS"),
    (29, "PR_SET_TIMERSLACK"),
    (30, "PR_GET_TIMERSLACK"),
    (31, "PR_TASK_PERF_EVENTS_DISABLE"),
    (32, "PR_TASK_PERF_EVENTS_ENABLE"),
    (33, "PR_MCE_KILL"),
    (34, "PR_MCE_KILL_GET"),
    (35, "PR_SET_MM"),
    (36, "PR_SET_CHILD_SUBREAPER"),
    (37, "PR_GET_CHILD_SUBREAPER"),
    (38, "PR_SET_NO_NEW_PRIVS"),
    (39, "PR_GET_NO_NEW_PRIVS"),
    (40, "PR_GET_TID_ADDRESS"),
    (41, "PR_SET_THP_DISABLE"),
    (42, "PR_GET_THP_DISABLE"),
    (43, "PR_MPX_ENABLE_MANAGEMENT"),
    (44, "PR_MPX_DISABLE_MANAGEMENT"),
    (45, "PR_SET_FP_MODE"),
    (46, "PR_GET_FP_MODE"),
    (47, "PR_CAP_AMBIENT"),
    (50, "PR_SVE_SET_VL"),
    (51, "PR_SVE_GET_VL"),
    (52, "PR_GET_SPECULATION_CTRL"),
    (53, "PR_SET_SPECULATION_CTRL"),
    (54, "PR_PAC_RESET_KEYS"),
    (55, "PR_SET_TAGGED_ADDR_CTRL"),
    (56, "PR_GET_TAGGED_ADDR_CTRL"),
    (57, "PR_SET_IO_FLUSHER"),
    (58, "PR_GET_IO_FLUSHER"),
    (59, "PR_SET_SYSCALL_USER_DISPATCH"),
    (60, "PR_PAC_SET_ENABLED_KEYS"),
    (61, "PR_PAC_GET_ENABLED_KEYS"),
    (62, "PR_SCHED_CORE"),
    (63, "PR_SME_SET_VL"),
    (64, "PR_SME_GET_VL"),
    (65, "PR_SET_MDWE"),
    (66, "PR_GET_MDWE"),
    (67, "PR_SET_MEMORY_MERGE"),
    (68, "PR_GET_MEMORY_MERGE"),
    (0x59616d61, "PR_SET_PTRACER"),
    (0x53564d41, "PR_SET_VMA"),
];

/// ioctl requests decoded by name.
pub(crate) static IOCTLS: Xlat = &[
    (0x5401, "TCGETS"),
    (0x5402, "TCSETS"),
    (0x5403, "TCSETSW"),
    (0x5404, "TCSETSF"),
    (0x5405, "TCGETA"),
    (0x5406, "TCSETA"),
    (0x5407, "TCSETAW"),
    (0x5408, "TCSETAF"),
    (0x5409, "TCSBRK"),
    (0x540a, "TCXONC"),
    (0x540b, "TCFLSH"),
    (0x540c, "TIOCEXCL"),
    (0x540d, "TIOCNXCL"),
    (0x540e, "TIOCSCTTY"),
    (0x540f, "TIOCGPGRP"),
    (0x5410, "TIOCSPGRP"),
    (0x5411, "TIOCOUTQ"),
    (0x5412, "TIOCSTI"),
    (0x5413, "TIOCGWINSZ"),
    (0x5414, "TIOCSWINSZ"),
    (0x5415, "TIOCMGET"),
    (0x5416, "TIOCMBIS"),
    (0x5417, "TIOCMBIC"),
    (0x5418, "TIOCMSET"),
    (0x541b, "FIONREAD"),
    (0x541c, "TIOCLINUX"),
    (0x541d, "TIOCCONS"),
    (0x5421, "FIONBIO"),
    (0x5422, "TIOCNOTTY"),
    (0x5423, "TIOCSETD"),
    (0x5424, "TIOCGETD"),
    (0x5429, "TIOCGSID"),
    (0x5450, "FIONCLEX"),
    (0x5451, "FIOCLEX"),
    (0x5452, "FIOASYNC"),
    (0x80045430, "TIOCGPTN"),
    (0x40045431, "TIOCSPTLCK"),
    (0x5441, "TIOCGPTPEER"),
    (0x802c542a, "TCGETS2"),
    (0x402c542b, "TCSETS2"),
    (0x80086601, "FS_IOC_GETFLAGS"),
    (0x40086602, "FS_IOC_SETFLAGS"),
    (0x5460, "FIOQSIZE"),
    (0x40049409, "BTRFS_IOC_CLONE or FICLONE"),
    (0x4020940d, "BTRFS_IOC_CLONE_RANGE or FICLONERANGE"),
    (0xc018943a, "FIDEDUPERANGE"),
];

/// Capabilities.
pub(crate) static CAPS: Xlat = &[
    (0, "CAP_CHOWN"),
    (1, "CAP_DAC_OVERRIDE"),
    (2, "CAP_DAC_READ_SEARCH"),
    (3, "CAP_FOWNER"),
    (4, "CAP_FSETID"),
    (5, "CAP_KILL"),
    (6, "CAP_SETGID"),
    (7, "CAP_SETUID"),
    (8, "CAP_SETPCAP"),
    (9, "CAP_LINUX_IMMUTABLE"),
    (10, "CAP_NET_BIND_SERVICE"),
    (11, "CAP_NET_BROADCAST"),
    (12, "CAP_NET_ADMIN"),
    (13, "CAP_NET_RAW"),
    (14, "CAP_IPC_LOCK"),
    (15, "CAP_IPC_OWNER"),
    (16, "CAP_SYS_MODULE"),
    (17, "CAP_SYS_RAWIO"),
    (18, "CAP_SYS_CHROOT"),
    (19, "CAP_SYS_PTRACE"),
    (20, "CAP_SYS_PACCT"),
    (21, "CAP_SYS_ADMIN"),
    (22, "CAP_SYS_BOOT"),
    (23, "CAP_SYS_NICE"),
    (24, "CAP_SYS_RESOURCE"),
    (25, "CAP_SYS_TIME"),
    (26, "CAP_SYS_TTY_CONFIG"),
    (27, "CAP_MKNOD"),
    (28, "CAP_LEASE"),
    (29, "CAP_AUDIT_WRITE"),
    (30, "CAP_AUDIT_CONTROL"),
    (31, "CAP_SETFCAP"),
    (32, "CAP_MAC_OVERRIDE"),
    (33, "CAP_MAC_ADMIN"),
    (34, "CAP_SYSLOG"),
    (35, "CAP_WAKE_ALARM"),
    (36, "CAP_BLOCK_SUSPEND"),
    (37, "CAP_AUDIT_READ"),
    (38, "CAP_PERFMON"),
    (39, "CAP_BPF"),
    (40, "CAP_CHECKPOINT_RESTORE"),
];

/// Scheduling policies.
pub(crate) static SCHED_POLICIES: Xlat = &[
    (0, "SCHED_OTHER"),
    (1, "SCHED_FIFO"),
    (2, "SCHED_RR"),
    (3, "SCHED_BATCH"),
    (5, "SCHED_IDLE"),
    (6, "SCHED_DEADLINE"),
];

/// getpriority/setpriority which.
pub(crate) static PRIO_WHICH: Xlat = &[(0, "PRIO_PROCESS"), (1, "PRIO_PGRP"), (2, "PRIO_USER")];

/// getrusage who.
pub(crate) static RUSAGE_WHO: Xlat = &[
    (0, "RUSAGE_SELF"),
    (-1i64 as u64, "RUSAGE_CHILDREN"),
    (1, "RUSAGE_THREAD"),
];

/// Interval timers.
pub(crate) static ITIMERS: Xlat = &[
    (0, "ITIMER_REAL"),
    (1, "ITIMER_VIRTUAL"),
    (2, "ITIMER_PROF"),
];

/// Personality domains (low byte).
pub(crate) static PERSONALITY: Xlat = &[(0, "PER_LINUX"), (0x0008, "PER_LINUX32")];

/// ptrace requests.
pub(crate) static PTRACE_REQS: Xlat = &[
    (0, "PTRACE_TRACEME"),
    (1, "PTRACE_PEEKTEXT"),
    (2, "PTRACE_PEEKDATA"),
    (3, "PTRACE_PEEKUSER"),
    (4, "PTRACE_POKETEXT"),
    (5, "PTRACE_POKEDATA"),
    (6, "PTRACE_POKEUSER"),
    (7, "PTRACE_CONT"),
    (8, "PTRACE_KILL"),
    (9, "PTRACE_SINGLESTEP"),
    (12, "PTRACE_GETREGS"),
    (13, "PTRACE_SETREGS"),
    (14, "PTRACE_GETFPREGS"),
    (15, "PTRACE_SETFPREGS"),
    (16, "PTRACE_ATTACH"),
    (17, "PTRACE_DETACH"),
    (18, "PTRACE_GETFPXREGS"),
    (19, "PTRACE_SETFPXREGS"),
    (24, "PTRACE_SYSCALL"),
    (25, "PTRACE_GET_THREAD_AREA"),
    (26, "PTRACE_SET_THREAD_AREA"),
    (30, "PTRACE_ARCH_PRCTL"),
    (31, "PTRACE_SYSEMU"),
    (32, "PTRACE_SYSEMU_SINGLESTEP"),
    (33, "PTRACE_SINGLEBLOCK"),
    (0x4200, "PTRACE_SETOPTIONS"),
    (0x4201, "PTRACE_GETEVENTMSG"),
    (0x4202, "PTRACE_GETSIGINFO"),
    (0x4203, "PTRACE_SETSIGINFO"),
    (0x4204, "PTRACE_GETREGSET"),
    (0x4205, "PTRACE_SETREGSET"),
    (0x4206, "PTRACE_SEIZE"),
    (0x4207, "PTRACE_INTERRUPT"),
    (0x4208, "PTRACE_LISTEN"),
    (0x4209, "PTRACE_PEEKSIGINFO"),
    (0x420a, "PTRACE_GETSIGMASK"),
    (0x420b, "PTRACE_SETSIGMASK"),
    (0x420c, "PTRACE_SECCOMP_GET_FILTER"),
    (0x420d, "PTRACE_SECCOMP_GET_METADATA"),
    (0x420e, "PTRACE_GET_SYSCALL_INFO"),
    (0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
    (0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG"),
    (0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG"),
];

/// adjtimex modes (struct timex): the composite read-only and single-shot
/// modes come first, so that their bits are named once.
pub(crate) static ADJ_MODES: Xlat = &[
    (0xa001, "ADJ_OFFSET_SS_READ"),
    (0x8001, "ADJ_OFFSET_SINGLESHOT"),
    (0x0001, "ADJ_OFFSET"),
    (0x0002, "ADJ_FREQUENCY"),
    (0x0004, "ADJ_MAXERROR"),
    (0x0008, "ADJ_ESTERROR"),
    (0x0010, "ADJ_STATUS"),
    (0x0020, "ADJ_TIMECONST"),
    (0x0080, "ADJ_TAI"),
    (0x0100, "ADJ_SETOFFSET"),
    (0x1000, "ADJ_MICRO"),
    (0x2000, "ADJ_NANO"),
    (0x4000, "ADJ_TICK"),
];

/// adjtimex status bits (struct timex).
pub(crate) static STA_FLAGS: Xlat = &[
    (0x0001, "STA_PLL"),
    (0x0002, "STA_PPSFREQ"),
    (0x0004, "STA_PPSTIME"),
    (0x0008, "STA_FLL"),
    (0x0010, "STA_INS"),
    (0x0020, "STA_DEL"),
    (0x0040, "STA_UNSYNC"),
    (0x0080, "STA_FREQHOLD"),
    (0x0100, "STA_PPSSIGNAL"),
    (0x0200, "STA_PPSJITTER"),
    (0x0400, "STA_PPSWANDER"),
    (0x0800, "STA_PPSERROR"),
    (0x1000, "STA_CLOCKERR"),
    (0x2000, "STA_NANO"),
    (0x4000, "STA_MODE"),
    (0x8000, "STA_CLK"),
];

/// The clock states adjtimex returns.
pub(crate) static TIME_STATES: Xlat = &[
    (0, "TIME_OK"),
    (1, "TIME_INS"),
    (2, "TIME_DEL"),
    (3, "TIME_OOP"),
    (4, "TIME_WAIT"),
    (5, "TIME_ERROR"),
];

/// kexec_load's architecture (the flags' upper half).
pub(crate) static KEXEC_ARCHS: Xlat = &[
    (0, "KEXEC_ARCH_DEFAULT"),
    (3 << 16, "KEXEC_ARCH_386"),
    (4 << 16, "KEXEC_ARCH_68K"),
    (15 << 16, "KEXEC_ARCH_PARISC"),
    (62 << 16, "KEXEC_ARCH_X86_64"),
    (20 << 16, "KEXEC_ARCH_PPC"),
    (21 << 16, "KEXEC_ARCH_PPC64"),
    (50 << 16, "KEXEC_ARCH_IA_64"),
    (40 << 16, "KEXEC_ARCH_ARM"),
    (22 << 16, "KEXEC_ARCH_S390"),
    (42 << 16, "KEXEC_ARCH_SH"),
    (10 << 16, "KEXEC_ARCH_MIPS_LE"),
    (8 << 16, "KEXEC_ARCH_MIPS"),
    (183 << 16, "KEXEC_ARCH_AARCH64"),
    (243 << 16, "KEXEC_ARCH_RISCV"),
    (258 << 16, "KEXEC_ARCH_LOONGARCH"),
];

/// kexec_load's flags (the lower half).
pub(crate) static KEXEC_FLAGS: Xlat = &[(1, "KEXEC_ON_CRASH"), (2, "KEXEC_PRESERVE_CONTEXT")];

/// kexec_file_load's flags.
pub(crate) static KEXEC_FILE_FLAGS: Xlat = &[
    (1, "KEXEC_FILE_UNLOAD"),
    (2, "KEXEC_FILE_ON_CRASH"),
    (4, "KEXEC_FILE_NO_INITRAMFS"),
];

/// quotactl commands (the part of the command word above the type).
pub(crate) static QUOTA_CMDS: Xlat = &[
    (0x0100, "Q_V1_QUOTAON"),
    (0x0200, "Q_V1_QUOTAOFF"),
    (0x0300, "Q_V1_GETQUOTA"),
    (0x0400, "Q_V1_SETQUOTA"),
    (0x0500, "Q_V1_SETUSE"),
    (0x0600, "Q_V1_SYNC"),
    (0x0700, "Q_SETQLIM"),
    (0x0800, "Q_V1_GETSTATS"),
    (0x1000, "Q_V1_RSQUASH"),
    (0x0d00, "Q_V2_GETQUOTA"),
    (0x0e00, "Q_V2_SETQUOTA"),
    (0x0f00, "Q_V2_SETUSE"),
    (0x0900, "Q_V2_GETINFO"),
    (0x0a00, "Q_V2_SETINFO"),
    (0x0b00, "Q_V2_SETGRACE"),
    (0x0c00, "Q_V2_SETFLAGS"),
    (0x1100, "Q_V2_GETSTATS"),
    (0x800001, "Q_SYNC"),
    (0x800002, "Q_QUOTAON"),
    (0x800003, "Q_QUOTAOFF"),
    (0x800004, "Q_GETFMT"),
    (0x800005, "Q_GETINFO"),
    (0x800006, "Q_SETINFO"),
    (0x800007, "Q_GETQUOTA"),
    (0x800008, "Q_SETQUOTA"),
    (0x800009, "Q_GETNEXTQUOTA"),
    (0x5801, "Q_XQUOTAON"),
    (0x5802, "Q_XQUOTAOFF"),
    (0x5803, "Q_XGETQUOTA"),
    (0x5804, "Q_XSETQLIM"),
    (0x5805, "Q_XGETQSTAT"),
    (0x5806, "Q_XQUOTARM"),
    (0x5807, "Q_XQUOTASYNC"),
    (0x5808, "Q_XGETQSTATV"),
    (0x5809, "Q_XGETNEXTQUOTA"),
];

/// quotactl quota types (the command word's low byte).
pub(crate) static QUOTA_TYPES: Xlat = &[(0, "USRQUOTA"), (1, "GRPQUOTA"), (2, "PRJQUOTA")];

/// Quota formats (Q_QUOTAON's id, Q_GETFMT's result).
pub(crate) static QUOTA_FORMATS: Xlat = &[
    (1, "QFMT_VFS_OLD"),
    (2, "QFMT_VFS_V0"),
    (3, "QFMT_OCFS2"),
    (4, "QFMT_VFS_V1"),
];

/// if_dqblk's dqb_valid.
pub(crate) static QIF_FLAGS: Xlat = &[
    (1, "QIF_BLIMITS"),
    (2, "QIF_SPACE"),
    (4, "QIF_ILIMITS"),
    (8, "QIF_INODES"),
    (16, "QIF_BTIME"),
    (32, "QIF_ITIME"),
];

/// if_dqinfo's dqi_flags.
pub(crate) static DQF_FLAGS: Xlat = &[(1, "DQF_ROOT_SQUASH"), (0x10000, "DQF_SYS_FILE")];

/// if_dqinfo's dqi_valid.
pub(crate) static IIF_FLAGS: Xlat = &[(1, "IIF_BGRACE"), (2, "IIF_IGRACE"), (4, "IIF_FLAGS")];

/// XFS quota types (fs_disk_quota's d_flags, Q_XQUOTARM's argument).
pub(crate) static XFS_QUOTA_TYPES: Xlat = &[
    (1, "FS_USER_QUOTA"),
    (2, "FS_PROJ_QUOTA"),
    (4, "FS_GROUP_QUOTA"),
];

/// XFS quota state flags (Q_XQUOTAON/OFF's argument, fs_quota_stat's qs_flags).
pub(crate) static XFS_QUOTA_FLAGS: Xlat = &[
    (1, "FS_QUOTA_UDQ_ACCT"),
    (2, "FS_QUOTA_UDQ_ENFD"),
    (4, "FS_QUOTA_GDQ_ACCT"),
    (8, "FS_QUOTA_GDQ_ENFD"),
    (16, "FS_QUOTA_PDQ_ACCT"),
    (32, "FS_QUOTA_PDQ_ENFD"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn val(x: Xlat, name: &str) -> u64 {
        x.iter()
            .find(|e| e.1 == name)
            .unwrap_or_else(|| panic!("{name}"))
            .0
    }

    macro_rules! check {
        ($x:expr, $($n:ident),* $(,)?) => {
            $( assert_eq!(val($x, stringify!($n)), (libc::$n as i64 as u64) & 0xffff_ffff, stringify!($n)); )*
        };
    }

    #[test]
    fn values_match_libc() {
        check!(
            OPEN_FLAGS,
            O_CREAT,
            O_EXCL,
            O_NOCTTY,
            O_TRUNC,
            O_APPEND,
            O_NONBLOCK,
            O_SYNC,
            O_DSYNC,
            O_DIRECT,
            O_NOFOLLOW,
            O_NOATIME,
            O_CLOEXEC,
            O_PATH,
            O_TMPFILE,
            O_DIRECTORY
        );
        assert_eq!(val(OPEN_FLAGS, "FASYNC"), libc::O_ASYNC as u64);
        check!(
            AT_FLAGS,
            AT_SYMLINK_NOFOLLOW,
            AT_REMOVEDIR,
            AT_SYMLINK_FOLLOW,
            AT_NO_AUTOMOUNT,
            AT_EMPTY_PATH,
            AT_RECURSIVE
        );
        check!(
            PROT,
            PROT_READ,
            PROT_WRITE,
            PROT_EXEC,
            PROT_GROWSDOWN,
            PROT_GROWSUP
        );
        check!(MAP_TYPE, MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE);
        check!(
            MAP_FLAGS,
            MAP_FIXED,
            MAP_ANONYMOUS,
            MAP_32BIT,
            MAP_GROWSDOWN,
            MAP_DENYWRITE,
            MAP_EXECUTABLE,
            MAP_LOCKED,
            MAP_NORESERVE,
            MAP_POPULATE,
            MAP_NONBLOCK,
            MAP_STACK,
            MAP_HUGETLB,
            MAP_SYNC,
            MAP_FIXED_NOREPLACE
        );
        check!(
            MADV,
            MADV_NORMAL,
            MADV_RANDOM,
            MADV_SEQUENTIAL,
            MADV_WILLNEED,
            MADV_DONTNEED,
            MADV_FREE,
            MADV_REMOVE,
            MADV_DONTFORK,
            MADV_DOFORK,
            MADV_MERGEABLE,
            MADV_HUGEPAGE,
            MADV_DONTDUMP,
            MADV_WIPEONFORK,
            MADV_COLD,
            MADV_PAGEOUT,
            MADV_HWPOISON
        );
        check!(SEEK, SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE);
        check!(
            FCNTL_CMDS,
            F_DUPFD,
            F_GETFD,
            F_SETFD,
            F_GETFL,
            F_SETFL,
            F_GETLK,
            F_SETLK,
            F_SETLKW,
            F_SETOWN,
            F_GETOWN,
            F_OFD_GETLK,
            F_OFD_SETLK,
            F_OFD_SETLKW,
            F_SETLEASE,
            F_GETLEASE,
            F_NOTIFY,
            F_DUPFD_CLOEXEC,
            F_SETPIPE_SZ,
            F_GETPIPE_SZ,
            F_ADD_SEALS,
            F_GET_SEALS
        );
        check!(SIG_HOW, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK);
        check!(
            SA_FLAGS,
            SA_NOCLDSTOP,
            SA_NOCLDWAIT,
            SA_SIGINFO,
            SA_ONSTACK,
            SA_RESTART,
            SA_NODEFER
        );
        assert_eq!(
            val(SA_FLAGS, "SA_RESETHAND"),
            libc::SA_RESETHAND as u32 as u64
        );
        check!(
            RLIMIT,
            RLIMIT_CPU,
            RLIMIT_FSIZE,
            RLIMIT_DATA,
            RLIMIT_STACK,
            RLIMIT_CORE,
            RLIMIT_RSS,
            RLIMIT_NPROC,
            RLIMIT_NOFILE,
            RLIMIT_MEMLOCK,
            RLIMIT_AS,
            RLIMIT_LOCKS,
            RLIMIT_SIGPENDING,
            RLIMIT_MSGQUEUE,
            RLIMIT_NICE,
            RLIMIT_RTPRIO,
            RLIMIT_RTTIME
        );
        check!(GRND, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE);
        check!(
            CLONE_FLAGS,
            CLONE_VM,
            CLONE_FS,
            CLONE_FILES,
            CLONE_SIGHAND,
            CLONE_PIDFD,
            CLONE_PTRACE,
            CLONE_VFORK,
            CLONE_PARENT,
            CLONE_THREAD,
            CLONE_NEWNS,
            CLONE_SYSVSEM,
            CLONE_SETTLS,
            CLONE_PARENT_SETTID,
            CLONE_CHILD_CLEARTID,
            CLONE_DETACHED,
            CLONE_UNTRACED,
            CLONE_CHILD_SETTID,
            CLONE_NEWCGROUP,
            CLONE_NEWUTS,
            CLONE_NEWIPC,
            CLONE_NEWUSER,
            CLONE_NEWPID,
            CLONE_NEWNET,
            CLONE_IO
        );
        check!(
            WAIT_OPTIONS,
            WNOHANG,
            WSTOPPED,
            WEXITED,
            WCONTINUED,
            WNOWAIT,
            __WNOTHREAD,
            __WALL,
            __WCLONE
        );
        check!(P_TYPES, P_ALL, P_PID, P_PGID, P_PIDFD);
        check!(
            FUTEX_OPS,
            FUTEX_WAIT,
            FUTEX_WAKE,
            FUTEX_FD,
            FUTEX_REQUEUE,
            FUTEX_CMP_REQUEUE,
            FUTEX_WAKE_OP,
            FUTEX_LOCK_PI,
            FUTEX_UNLOCK_PI,
            FUTEX_TRYLOCK_PI,
            FUTEX_WAIT_BITSET,
            FUTEX_WAKE_BITSET,
            FUTEX_WAIT_REQUEUE_PI,
            FUTEX_CMP_REQUEUE_PI
        );
        check!(
            CLOCKS,
            CLOCK_REALTIME,
            CLOCK_MONOTONIC,
            CLOCK_PROCESS_CPUTIME_ID,
            CLOCK_THREAD_CPUTIME_ID,
            CLOCK_MONOTONIC_RAW,
            CLOCK_REALTIME_COARSE,
            CLOCK_MONOTONIC_COARSE,
            CLOCK_BOOTTIME,
            CLOCK_REALTIME_ALARM,
            CLOCK_BOOTTIME_ALARM,
            CLOCK_TAI
        );
        check!(EFD_FLAGS, EFD_SEMAPHORE, EFD_CLOEXEC, EFD_NONBLOCK);
        check!(TFD_FLAGS, TFD_CLOEXEC, TFD_NONBLOCK);
        check!(
            IN_MASK,
            IN_ACCESS,
            IN_MODIFY,
            IN_ATTRIB,
            IN_CLOSE_WRITE,
            IN_CLOSE_NOWRITE,
            IN_OPEN,
            IN_MOVED_FROM,
            IN_MOVED_TO,
            IN_CREATE,
            IN_DELETE,
            IN_DELETE_SELF,
            IN_MOVE_SELF,
            IN_UNMOUNT,
            IN_Q_OVERFLOW,
            IN_IGNORED,
            IN_ONLYDIR,
            IN_DONT_FOLLOW,
            IN_EXCL_UNLINK,
            IN_MASK_CREATE,
            IN_MASK_ADD,
            IN_ISDIR,
            IN_ONESHOT
        );
        check!(
            MFD_FLAGS,
            MFD_CLOEXEC,
            MFD_ALLOW_SEALING,
            MFD_HUGETLB,
            MFD_NOEXEC_SEAL,
            MFD_EXEC
        );
        check!(EPOLL_CTL, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD);
        check!(
            EPOLL_EVENTS,
            EPOLLIN,
            EPOLLPRI,
            EPOLLOUT,
            EPOLLERR,
            EPOLLHUP,
            EPOLLRDNORM,
            EPOLLRDBAND,
            EPOLLWRNORM,
            EPOLLWRBAND,
            EPOLLMSG,
            EPOLLRDHUP,
            EPOLLEXCLUSIVE,
            EPOLLWAKEUP,
            EPOLLONESHOT,
            EPOLLET
        );
        check!(
            POLL_EVENTS,
            POLLIN,
            POLLPRI,
            POLLOUT,
            POLLERR,
            POLLHUP,
            POLLNVAL,
            POLLRDNORM,
            POLLRDBAND,
            POLLWRNORM,
            POLLWRBAND,
            POLLRDHUP
        );
        check!(
            AF,
            AF_UNSPEC,
            AF_UNIX,
            AF_INET,
            AF_INET6,
            AF_NETLINK,
            AF_PACKET,
            AF_BLUETOOTH,
            AF_ALG,
            AF_VSOCK,
            AF_XDP
        );
        check!(
            SOCK_TYPES,
            SOCK_STREAM,
            SOCK_DGRAM,
            SOCK_RAW,
            SOCK_RDM,
            SOCK_SEQPACKET,
            SOCK_DCCP
        );
        check!(SOCK_FLAGS, SOCK_CLOEXEC, SOCK_NONBLOCK);
        check!(
            IPPROTO,
            IPPROTO_IP,
            IPPROTO_ICMP,
            IPPROTO_TCP,
            IPPROTO_UDP,
            IPPROTO_IPV6,
            IPPROTO_ICMPV6,
            IPPROTO_SCTP,
            IPPROTO_RAW,
            IPPROTO_MPTCP
        );
        check!(
            MSG_FLAGS,
            MSG_OOB,
            MSG_PEEK,
            MSG_DONTROUTE,
            MSG_CTRUNC,
            MSG_TRUNC,
            MSG_DONTWAIT,
            MSG_EOR,
            MSG_WAITALL,
            MSG_CONFIRM,
            MSG_ERRQUEUE,
            MSG_NOSIGNAL,
            MSG_MORE,
            MSG_WAITFORONE,
            MSG_FASTOPEN,
            MSG_CMSG_CLOEXEC,
            MSG_ZEROCOPY
        );
        check!(
            SO,
            SO_DEBUG,
            SO_REUSEADDR,
            SO_TYPE,
            SO_ERROR,
            SO_BROADCAST,
            SO_SNDBUF,
            SO_RCVBUF,
            SO_KEEPALIVE,
            SO_REUSEPORT,
            SO_PASSCRED,
            SO_PEERCRED,
            SO_MARK,
            SO_PROTOCOL,
            SO_DOMAIN
        );
        check!(
            PR_OPTIONS,
            PR_SET_PDEATHSIG,
            PR_GET_DUMPABLE,
            PR_SET_NAME,
            PR_GET_NAME,
            PR_SET_SECCOMP,
            PR_SET_NO_NEW_PRIVS,
            PR_SET_CHILD_SUBREAPER,
            PR_CAP_AMBIENT,
            PR_SET_PTRACER,
            PR_SET_VMA
        );
        check!(
            IOCTLS, TCGETS, TCSETS, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, FIONREAD,
            FIONBIO, FIOCLEX, FIONCLEX, TIOCSCTTY, TIOCGPTN
        );
        check!(
            STATX_MASK,
            STATX_TYPE,
            STATX_MODE,
            STATX_NLINK,
            STATX_UID,
            STATX_GID,
            STATX_ATIME,
            STATX_MTIME,
            STATX_CTIME,
            STATX_INO,
            STATX_SIZE,
            STATX_BLOCKS,
            STATX_BTIME,
            STATX_MNT_ID,
            STATX_DIOALIGN
        );
        check!(
            PTRACE_REQS,
            PTRACE_TRACEME,
            PTRACE_PEEKDATA,
            PTRACE_CONT,
            PTRACE_ATTACH,
            PTRACE_DETACH,
            PTRACE_SYSCALL,
            PTRACE_SETOPTIONS,
            PTRACE_GETEVENTMSG,
            PTRACE_GETSIGINFO,
            PTRACE_SEIZE,
            PTRACE_INTERRUPT,
            PTRACE_LISTEN,
            PTRACE_GET_SYSCALL_INFO
        );
        check!(
            ADJ_MODES,
            ADJ_OFFSET,
            ADJ_FREQUENCY,
            ADJ_MAXERROR,
            ADJ_ESTERROR,
            ADJ_STATUS,
            ADJ_TIMECONST,
            ADJ_TAI,
            ADJ_SETOFFSET,
            ADJ_MICRO,
            ADJ_NANO,
            ADJ_TICK,
            ADJ_OFFSET_SINGLESHOT,
            ADJ_OFFSET_SS_READ
        );
        check!(
            STA_FLAGS,
            STA_PLL,
            STA_PPSFREQ,
            STA_PPSTIME,
            STA_FLL,
            STA_INS,
            STA_DEL,
            STA_UNSYNC,
            STA_FREQHOLD,
            STA_PPSSIGNAL,
            STA_PPSJITTER,
            STA_PPSWANDER,
            STA_PPSERROR,
            STA_CLOCKERR,
            STA_NANO,
            STA_MODE,
            STA_CLK
        );
        check!(TIME_STATES, TIME_OK, TIME_ERROR);
        check!(KEXEC_FLAGS, KEXEC_ON_CRASH, KEXEC_PRESERVE_CONTEXT);
        check!(
            KEXEC_FILE_FLAGS,
            KEXEC_FILE_UNLOAD,
            KEXEC_FILE_ON_CRASH,
            KEXEC_FILE_NO_INITRAMFS
        );
        check!(
            QUOTA_CMDS, Q_SYNC, Q_QUOTAON, Q_QUOTAOFF, Q_GETFMT, Q_GETINFO, Q_SETINFO, Q_GETQUOTA,
            Q_SETQUOTA
        );
        check!(QUOTA_FORMATS, QFMT_VFS_OLD, QFMT_VFS_V0, QFMT_VFS_V1);
        check!(
            QIF_FLAGS,
            QIF_BLIMITS,
            QIF_SPACE,
            QIF_ILIMITS,
            QIF_INODES,
            QIF_BTIME,
            QIF_ITIME
        );
        assert_eq!(
            KEXEC_ARCHS.iter().map(|e| e.0).fold(0, |a, b| a | b) & !0xffff_0000,
            0
        );
    }
}
