/* floor: the least a syscall tracer can do, as a yardstick for compare.sh.
 *
 *   gcc -O2 -o bench/floor/floor bench/floor/floor.c
 *   bench/compare.sh bench/floor/floor      # ratio of the floor to strace
 *
 * It accepts (and ignores) the strace options compare.sh passes (-f, -c,
 * -o FILE, -e EXPR, --seccomp-bpf), starts the command with PTRACE_TRACEME,
 * follows forks and clones, and at every syscall-stop makes the one call a
 * decoding tracer cannot avoid (PTRACE_GET_SYSCALL_INFO) and resumes: two
 * waits, two resumes and two info reads per syscall, no decoding, no
 * output. Whatever a real tracer costs beyond this is its own work. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "-e"))
            i++;
        i++;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: floor [-f] [-o FILE] [-e EXPR] COMMAND [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execvp(argv[i], argv + i);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0)
        return 1;
    ptrace(PTRACE_SETOPTIONS, pid, 0,
           PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK |
               PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE);
    ptrace(PTRACE_SYSCALL, pid, 0, 0);
    struct __ptrace_syscall_info si;
    int code = 0;
    for (;;) {
        pid_t w = waitpid(-1, &st, __WALL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            if (w == pid)
                code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            continue;
        }
        int sig = WSTOPSIG(st), deliver = 0;
        if (sig == (SIGTRAP | 0x80))
            ptrace(PTRACE_GET_SYSCALL_INFO, w, sizeof si, &si);
        else if (sig != SIGTRAP && sig != SIGSTOP)
            deliver = sig;
        ptrace(PTRACE_SYSCALL, w, 0, deliver);
    }
    return code;
}
