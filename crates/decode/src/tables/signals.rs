//! Signal numbers and the names strace prints for them: `SIGxxx` in
//! arguments, and the short form (`INT`, `RTMIN`, `RT_3`) inside signal sets.
//! strace numbers the real-time signals from the kernel's SIGRTMIN (32):
//! 32 is `SIGRTMIN`, 33 is `SIGRT_1`, ..., 64 is `SIGRT_32`.

/// Short names (without `SIG`) of signals 0..=64; index 0 is unused.
pub(crate) static SHORT: [&str; 65] = [
    "0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "RTMIN", "RT_1", "RT_2", "RT_3",
    "RT_4", "RT_5", "RT_6", "RT_7", "RT_8", "RT_9", "RT_10", "RT_11", "RT_12", "RT_13", "RT_14",
    "RT_15", "RT_16", "RT_17", "RT_18", "RT_19", "RT_20", "RT_21", "RT_22", "RT_23", "RT_24",
    "RT_25", "RT_26", "RT_27", "RT_28", "RT_29", "RT_30", "RT_31", "RT_32",
];

/// Full names (`SIGHUP` ...) of signals 0..=64; index 0 is unused.
pub(crate) static FULL: [&str; 65] = [
    "0",
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
    "SIGRTMIN",
    "SIGRT_1",
    "SIGRT_2",
    "SIGRT_3",
    "SIGRT_4",
    "SIGRT_5",
    "SIGRT_6",
    "SIGRT_7",
    "SIGRT_8",
    "SIGRT_9",
    "SIGRT_10",
    "SIGRT_11",
    "SIGRT_12",
    "SIGRT_13",
    "SIGRT_14",
    "SIGRT_15",
    "SIGRT_16",
    "SIGRT_17",
    "SIGRT_18",
    "SIGRT_19",
    "SIGRT_20",
    "SIGRT_21",
    "SIGRT_22",
    "SIGRT_23",
    "SIGRT_24",
    "SIGRT_25",
    "SIGRT_26",
    "SIGRT_27",
    "SIGRT_28",
    "SIGRT_29",
    "SIGRT_30",
    "SIGRT_31",
    "SIGRT_32",
];

/// The `SIGxxx` name of a signal in 1..=64.
pub(crate) fn full(sig: i64) -> Option<&'static str> {
    if (1..=64).contains(&sig) {
        Some(FULL[sig as usize])
    } else {
        None
    }
}

/// The short name of a signal in 1..=64 (as in sets).
pub(crate) fn short(sig: i64) -> Option<&'static str> {
    if (1..=64).contains(&sig) {
        Some(SHORT[sig as usize])
    } else {
        None
    }
}
