//! `ptrail`: a syscall and signal tracer with strace's options and output
//! that gets job control right.
//!
//! This file wires the pieces: parse the command line ([`options`]), set up
//! the output ([`ptrail_render`]), start or attach the tracees
//! ([`ptrail_engine`]), run the engine with a decoding sink ([`trace`]), and
//! leave with the command's own exit status ([`signals`] for deaths by
//! signal). Every failure before tracing starts is one `ptrail: ...` line on
//! stderr and exit status 1, with nothing left traced.
#![forbid(unsafe_code)]

mod dump;
mod fds;
mod filter;
mod handover;
mod inject;
mod options;
mod pathtrace;
mod qualify;
mod signals;
mod trace;

use options::{EnvChange, Options, Request};
use ptrail_decode::DecodeOptions;
use ptrail_engine::{Error as EngineError, SeccompFilter, Spawn, Tracer, TracerBuilder};
use ptrail_render::{
    JsonRenderer, Output, PidPrefix, Renderer, SummaryOptions, SummaryRenderer, TextOptions,
    TextRenderer, Timing,
};
use std::ffi::{CString, OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use trace::{Ending, TraceSink};

/// How ptrail leaves.
enum Exit {
    Code(i32),
    Signal(i32),
}

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match run(args) {
        Ok(Exit::Code(code)) => std::process::exit(code),
        Ok(Exit::Signal(sig)) => signals::die_by_signal(sig),
        Err(msg) => {
            say_err(&msg);
            std::process::exit(1);
        }
    }
}

/// One `ptrail: ...` line on stderr (never panics, even if stderr is gone).
fn say_err(msg: &str) {
    let _ = writeln!(std::io::stderr(), "ptrail: {msg}");
}

/// Finds COMMAND as strace does: a name with a slash is used as is,
/// otherwise the first executable regular file of that name on PATH.
fn resolve_command(name: &OsStr) -> Result<PathBuf, String> {
    let shown = name.to_string_lossy();
    let cant_stat = |e: std::io::Error| {
        let text = e.to_string();
        let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
        format!("Can't stat '{shown}': {text}")
    };
    if name.as_bytes().contains(&b'/') {
        std::fs::metadata(name).map_err(cant_stat)?;
        return Ok(PathBuf::from(name));
    }
    let path =
        std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/usr/local/bin:/bin:/usr/bin"));
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let candidate = dir.join(name);
        if let Ok(meta) = std::fs::metadata(&candidate) {
            if meta.is_file() && meta.permissions().mode() & 0o111 != 0 {
                return Ok(candidate);
            }
        }
    }
    Err(cant_stat(std::io::Error::from_raw_os_error(libc::ENOENT)))
}

/// The command's environment with the `-E` changes applied.
fn environment(changes: &[EnvChange]) -> Vec<OsString> {
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for change in changes {
        match change {
            EnvChange::Set(kv) => {
                let bytes = kv.as_bytes();
                let eq = bytes.iter().position(|&b| b == b'=').unwrap_or(bytes.len());
                let key = OsStr::from_bytes(&bytes[..eq]).to_owned();
                let value = OsStr::from_bytes(bytes.get(eq + 1..).unwrap_or_default()).to_owned();
                env.retain(|(k, _)| *k != key);
                env.push((key, value));
            }
            EnvChange::Unset(key) => env.retain(|(k, _)| k != key),
        }
    }
    env.into_iter()
        .map(|(mut k, v)| {
            k.push("=");
            k.push(v);
            k
        })
        .collect()
}

/// uid, gid and groups of `-u USER`.
fn lookup_user(name: &str) -> Result<(u32, u32, Vec<u32>), String> {
    let not_found = || format!("Cannot find user '{name}'");
    let user = nix::unistd::User::from_name(name)
        .map_err(|_| not_found())?
        .ok_or_else(not_found)?;
    let cname = CString::new(name).map_err(|_| not_found())?;
    let groups = nix::unistd::getgrouplist(&cname, user.gid)
        .map(|g| g.into_iter().map(|g| g.as_raw()).collect())
        .unwrap_or_else(|_| vec![user.gid.as_raw()]);
    Ok((user.uid.as_raw(), user.gid.as_raw(), groups))
}

fn engine_error(e: &EngineError) -> String {
    match e {
        EngineError::Attach { pid, errno } => {
            format!("attach: ptrace(PTRACE_SEIZE, {pid}): {}", errno.desc())
        }
        other => other.to_string(),
    }
}

fn run(args: Vec<OsString>) -> Result<Exit, String> {
    let mut o: Options = match options::parse(args)? {
        Request::Help => {
            let _ = std::io::stdout().write_all(options::help().as_bytes());
            return Ok(Exit::Code(0));
        }
        Request::Version => {
            let _ = writeln!(
                std::io::stdout(),
                "ptrail -- version {}",
                env!("CARGO_PKG_VERSION")
            );
            return Ok(Exit::Code(0));
        }
        Request::Man => {
            let _ = std::io::stdout().write_all(options::man().as_bytes());
            return Ok(Exit::Code(0));
        }
        Request::Completions(shell) => {
            let text = options::completions(&shell)?;
            let _ = std::io::stdout().write_all(text.as_bytes());
            return Ok(Exit::Code(0));
        }
        Request::Run(o) => o,
    };
    if let Some(set) = o.filter.decode_fds.take() {
        // `-e decode-fds=SET` is `--decode-fds=SET`.
        o.decode_fds = filter::decode_fds_level(&set);
    }
    if o.command.is_empty() && o.pids.is_empty() {
        return Err("must have PROG [ARGS] or -p PID".into());
    }
    if o.output.is_some() && !o.command.is_empty() && o.quiet == 0 && o.filter.quiet.is_none() {
        // Like strace: `-o FILE COMMAND` implies -q (the notes would only
        // clutter the command's own stderr), unless -e quiet= says what
        // to hide.
        o.quiet = 1;
    }
    if o.output.is_none() && o.follow > 1 {
        o.follow = 1; // -ff without -o is -f
    }
    let me = std::process::id() as i32;
    if o.pids.contains(&me) {
        return Err(format!(
            "Invalid process id: '{me}' (ptrail cannot trace itself)"
        ));
    }

    // Everything that can fail is checked before anything is traced.
    let program = match o.command.first() {
        Some(name) => Some(resolve_command(name)?),
        None => None,
    };
    let user = o.user.as_deref().map(lookup_user).transpose()?;
    let output = open_output(&o)?;
    let prefix = pid_prefix(&o);
    let decode = DecodeOptions {
        string_limit: o.string_limit.unwrap_or(32),
        hex_strings: o.hex.min(2),
        verbose: o.verbose || o.filter.unabbreviated(),
    };
    let text_opts = TextOptions {
        column: o.column.unwrap_or(40),
        prefix,
        quiet: o.filter.quiet_level(o.quiet),
        decode: decode.clone(),
        program: "ptrail".into(),
        timing: Timing {
            utc_offset: ptrail_render::timefmt::local_utc_offset(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64),
            ),
            ..o.timing
        },
        color: color_wanted(o.color, o.output.is_none()),
    };
    let fd_cache =
        (o.decode_fds > 0).then(|| std::rc::Rc::new(fds::FdCache::new(o.decode_fds, o.hex.min(2))));
    let mut renderer: Box<dyn Renderer> = if o.json {
        let mut json = JsonRenderer::new(json_writer(output, &o)?);
        if let Some(c) = &fd_cache {
            json.set_fd_resolver(c.clone());
        }
        Box::new(json)
    } else if o.summary > 0 {
        let mut sopts = SummaryOptions {
            with_trace: o.summary == 2,
            wall_clock: o.wall_clock,
            quiet: text_opts.quiet,
            ..SummaryOptions::default()
        };
        if let Some(sort) = o.sort_by {
            sopts.sort = sort;
        }
        if let Some(cols) = &o.columns {
            sopts.columns = cols.clone();
        }
        let mut text = TextRenderer::new(text_opts, output);
        if let Some(c) = &fd_cache {
            text.set_fd_resolver(c.clone());
        }
        Box::new(SummaryRenderer::new(sopts, text, syscall_order))
    } else {
        let mut text = TextRenderer::new(text_opts, output);
        if let Some(c) = &fd_cache {
            text.set_fd_resolver(c.clone());
        }
        Box::new(text)
    };
    let mut sink = TraceSink::new(&mut *renderer, decode, o.filter.clone());
    if let Some(c) = &fd_cache {
        sink.set_fd_cache(c.clone());
    }
    sink.set_measure(trace::Measure {
        clock: o.json || o.timing.needs_clock() || (o.summary > 0 && o.wall_clock),
        ip: o.timing.ip,
        cpu: o.summary > 0 && !o.wall_clock && !o.json,
        count_only: o.summary == 1 && !o.json,
    });
    sink.set_detach_on_execve(o.detach_on_execve);
    sink.set_personality_note(o.filter.quiet.unwrap_or(0) & filter::quiet::PERSONALITY == 0);
    for warning in &o.filter.warnings {
        sink.message(warning);
    }
    if o.filter.quiet.unwrap_or(0) & filter::quiet::PATH_RESOLUTION == 0 {
        for note in inject::Tamper::new(&o.filter).1 {
            sink.message(&note);
        }
    }

    let level = o
        .interruptible
        .unwrap_or(if o.output.is_some() && program.is_some() {
            3
        } else {
            2
        });
    let stop = signals::install(level)?;
    if o.output.is_some() || o.json {
        // Buffered file (or --json) output is written out while the tracer waits.
        let _ = ptrail_engine::signals::flush_every(200_000);
    }
    if o.daemonize && o.quiet == 0 {
        sink.message("-D is not supported yet; tracing from the foreground");
    }

    let seccomp = seccomp_filter(&o, &mut sink);
    if seccomp.is_some() {
        sink.expect_seccomp();
    }
    let mut tracer = TracerBuilder::new()
        .follow_forks(o.follow > 0)
        .seccomp_filter(seccomp)
        .measure_sys_time(o.summary > 0 && !o.wall_clock && !o.json)
        .build();

    let child = start_tracees(&mut tracer, &mut sink, &o, program.as_deref(), user)?;

    let result = tracer.run(&mut sink, stop);
    sink.flush();
    let ending = sink.ending;
    let write_error = sink.take_error();
    let output_failed = write_error.is_some();
    drop(sink);
    let finished = renderer.finish();
    drop(renderer);
    wait_output_command();
    let write_error = write_error.or(finished.err());
    if let Err(e) = result {
        // Leave nothing traced behind.
        let mut quiet = QuietSink;
        let _ = tracer.detach_all(&mut quiet);
        return Err(engine_error(&e));
    }
    if let Some(e) = write_error {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            say_err(&e.to_string());
        }
    }

    let interrupted = signals::stop_signal();
    if let Some(pid) = child {
        // A command handed over to another tracer (tracing tracers) that
        // ended meanwhile was reaped by the engine.
        let ending = ending.or_else(|| tracer.take_exit_status(pid).map(ending_of));
        let ending = match ending {
            Some(ending) => Some(ending),
            // Interrupted: pass the signal on to the detached command, reap it.
            None => {
                if let Some(sig) = interrupted {
                    signals::send(pid, sig);
                    if output_failed {
                        // The trace cannot be written any more: do not wait
                        // for a command that ignores or handles the signal
                        // (many ignore SIGPIPE); it runs on untraced, as
                        // with strace.
                        return Ok(Exit::Signal(sig));
                    }
                }
                reap(pid)
            }
        };
        return Ok(match ending {
            Some(Ending::Exited(code)) => Exit::Code(code),
            Some(Ending::Killed(sig)) => Exit::Signal(sig),
            None => Exit::Code(1),
        });
    }
    Ok(match interrupted {
        Some(sig) => Exit::Signal(sig),
        None => Exit::Code(0),
    })
}

/// `--seccomp-bpf`: the filter for the started command, when it can be
/// used (like strace: only with -f, only for the command, only when
/// `-e trace=` selects syscalls); otherwise a note says why not.
fn seccomp_filter(o: &Options, sink: &mut TraceSink<'_>) -> Option<SeccompFilter> {
    if !o.seccomp || o.command.is_empty() {
        return None;
    }
    if o.follow == 0 {
        sink.message("--seccomp-bpf cannot be used without -f/--follow-forks, disabling");
        return None;
    }
    let Some(filter) = o.filter.seccomp_filter() else {
        sink.message(
            "Seccomp filter is requested but there are no syscalls to filter.  \
             See -e trace to filter syscalls.",
        );
        return None;
    };
    if !o.pids.is_empty() {
        sink.message("--seccomp-bpf is not enabled for processes attached with -p");
    }
    Some(filter)
}

/// Where the trace goes: stderr, the `-o` file (truncated, or appended to
/// with `-A`), or one file per thread with `-ff`.
fn open_output(o: &Options) -> Result<Output, String> {
    Ok(match &o.output {
        None => Output::Stderr,
        Some(path)
            if path.as_os_str().as_bytes().starts_with(b"|")
                || path.as_os_str().as_bytes().starts_with(b"!") =>
        {
            // `-o '|command'` / `-o '!command'`: a pipe to `sh -c command`.
            let command = OsStr::from_bytes(&path.as_os_str().as_bytes()[1..]);
            let mut child = std::process::Command::new("/bin/sh")
                .arg("-c")
                .arg(command)
                .stdin(std::process::Stdio::piped())
                .spawn()
                .map_err(|e| format!("Can't popen '{}': {e}", command.to_string_lossy()))?;
            let stdin = child.stdin.take().ok_or("Can't popen: no pipe")?;
            if let Ok(mut slot) = OUTPUT_COMMAND.lock() {
                *slot = Some(child);
            }
            Output::Stream(Box::new(stdin))
        }
        Some(base) if o.follow > 1 => Output::PerThread(base.clone()),
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .append(o.append)
                .truncate(!o.append)
                .open(path)
                .map_err(|e| {
                    let text = e.to_string();
                    let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
                    format!("Can't fopen '{}': {text}", path.display())
                })?;
            Output::Stream(Box::new(file))
        }
    })
}

/// The `-o '|command'` process, waited for after the trace is written.
static OUTPUT_COMMAND: std::sync::Mutex<Option<std::process::Child>> = std::sync::Mutex::new(None);

fn wait_output_command() {
    let child = OUTPUT_COMMAND.lock().ok().and_then(|mut c| c.take());
    if let Some(mut child) = child {
        let _ = child.wait();
    }
}

/// Where `--json` goes: standard output, or the `-o` file (one file even
/// with `-ff`).
fn json_writer(output: Output, o: &Options) -> Result<Box<dyn Write>, String> {
    Ok(match output {
        Output::Stderr => Box::new(std::io::stdout()),
        Output::Stream(w) => w,
        Output::PerThread(_) => {
            let single = Options {
                follow: 1,
                output: o.output.clone(),
                append: o.append,
                ..Options::default()
            };
            match open_output(&single)? {
                Output::Stream(w) => w,
                _ => Box::new(std::io::stdout()),
            }
        }
    })
}

/// `--color`: always, or (auto) when the trace goes to standard error and
/// that is a terminal, unless `NO_COLOR` is set.
fn color_wanted(color: Option<bool>, to_stderr: bool) -> bool {
    use std::io::IsTerminal;
    match color {
        None => false,
        Some(true) => true,
        Some(false) => {
            to_stderr && std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// A syscall's x86_64 number, for the order of equal rows of the summary.
fn syscall_order(personality: u8, name: &str) -> u64 {
    use ptrail_decode::Abi;
    let abi = [Abi::X86_64, Abi::I386, Abi::X32][usize::from(personality.min(2))];
    ptrail_decode::syscall_number(abi, name).unwrap_or(u64::MAX)
}

/// strace's rule for telling threads apart: `PID  ` on every line of a
/// shared `-o` file when several processes may be traced, `[pid PID] ` on
/// stderr while several are, nothing in `-ff` files.
fn pid_prefix(o: &Options) -> PidPrefix {
    match (&o.output, o.follow) {
        (Some(_), 2..) => PidPrefix::Never,
        (Some(_), 1) => PidPrefix::Always,
        (Some(_), _) if o.pids.len() > 1 => PidPrefix::Always,
        (Some(_), _) => PidPrefix::Never,
        (None, _) => PidPrefix::WhenSeveral,
    }
}

/// Starts the command (if any) and attaches the `-p` processes. Attach
/// failures are reported and skipped while something else is traced, as
/// strace does; with nothing to trace the first one is the error.
fn start_tracees(
    tracer: &mut Tracer,
    sink: &mut TraceSink<'_>,
    o: &Options,
    program: Option<&std::path::Path>,
    user: Option<(u32, u32, Vec<u32>)>,
) -> Result<Option<i32>, String> {
    let mut child = None;
    if let Some(path) = program {
        let mut spawn = Spawn::new(path, &o.command);
        if !o.env.is_empty() {
            spawn.env(environment(&o.env));
        }
        if let Some((uid, gid, groups)) = user {
            spawn.user(uid, gid, groups);
        }
        let pid = tracer.spawn(&spawn).map_err(|e| engine_error(&e))?;
        sink.set_spawned(pid);
        child = Some(pid);
    }
    let mut attached = 0;
    let mut first_error = None;
    for &pid in &o.pids {
        match tracer.attach(pid) {
            Ok(()) => {
                attached += 1;
                sink.set_attached(pid, &threads_of(pid));
            }
            Err(e) => {
                let msg = engine_error(&e);
                if o.pids.len() > 1 || child.is_some() {
                    sink.message(&msg);
                }
                first_error.get_or_insert(msg);
            }
        }
    }
    if attached == 0 && child.is_none() {
        return Err(first_error.unwrap_or_else(|| "nothing to trace".into()));
    }
    Ok(child)
}

/// The thread ids of process `pid` (from /proc).
fn threads_of(pid: i32) -> Vec<i32> {
    let mut tids: Vec<i32> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|dir| {
            dir.flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
                .collect()
        })
        .unwrap_or_default();
    if !tids.contains(&pid) {
        tids.push(pid);
    }
    tids
}

/// Waits for the started command after ptrail detached from it. A command
/// left stopped by job control is continued so that the signal it was sent
/// can act.
fn reap(pid: i32) -> Option<Ending> {
    use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
    let pid = nix::unistd::Pid::from_raw(pid);
    loop {
        match waitpid(pid, Some(WaitPidFlag::WUNTRACED)) {
            Ok(WaitStatus::Exited(_, code)) => return Some(Ending::Exited(code)),
            Ok(WaitStatus::Signaled(_, sig, _)) => return Some(Ending::Killed(sig as i32)),
            Ok(WaitStatus::Stopped(..)) => {
                let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGCONT);
            }
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return None,
        }
    }
}

/// How a process ended, from its wait status.
fn ending_of(status: i32) -> Ending {
    if libc::WIFSIGNALED(status) {
        Ending::Killed(libc::WTERMSIG(status))
    } else {
        Ending::Exited(libc::WEXITSTATUS(status))
    }
}

/// A sink for detaching after an engine failure: nothing more is printed.
struct QuietSink;

impl ptrail_engine::Sink for QuietSink {
    fn event(&mut self, _: &mut ptrail_engine::Tracee<'_>, _: &ptrail_engine::Event) {}
}
