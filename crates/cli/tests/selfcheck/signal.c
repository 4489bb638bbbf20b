/* Signal family: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigtimedwait, kill/tgkill to self with a handled and an ignored
 * signal, sigaltstack, signalfd4. */
#include "expect.h"
#include <signal.h>
#include <sys/signalfd.h>

/* The kernel's struct sigaction on x86_64. */
struct ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
};

void restore_rt(void);
__asm__(".text\n.globl restore_rt\nrestore_rt:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

static volatile int caught;
static void handler(int sig) { caught += sig; }

#define SA_RESTORER 0x04000000
#define BIT(s) (1UL << ((s) - 1))

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    int pid = getpid();
    unsigned uid = getuid();
    long r;
    static char stack[16384];
    unsigned long set, old;

    selfcheck_begin();

    struct ksigaction act = {handler, SA_RESTORER | SA_RESTART, restore_rt, BIT(SIGUSR2)};
    struct ksigaction oact;
    r = syscall(SYS_rt_sigaction, SIGUSR1, &act, NULL, 8);
    expect("rt_sigaction(SIGUSR1, {sa_handler=%#lx, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=%#lx}, NULL, 8) = %s",
           (long)handler, (long)restore_rt, rv(r));
    struct ksigaction ign = {SIG_IGN, SA_RESTORER, restore_rt, 0};
    r = syscall(SYS_rt_sigaction, SIGUSR2, &ign, &oact, 8);
    expect("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=%#lx}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = %s",
           (long)restore_rt, rv(r));
    r = syscall(SYS_rt_sigaction, SIGUSR1, NULL, &oact, 8);
    expect("rt_sigaction(SIGUSR1, NULL, {sa_handler=%#lx, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=%#lx}, 8) = %s",
           (long)handler, (long)restore_rt, rv(r));
    struct ksigaction odd = {handler, SA_RESTORER | SA_SIGINFO | SA_ONSTACK | SA_NODEFER | 0x2000, restore_rt, ~0UL};
    r = syscall(SYS_rt_sigaction, 36, &odd, NULL, 8);
    expect("rt_sigaction(SIGRT_4, {sa_handler=%#lx, sa_mask=~[], sa_flags=SA_RESTORER|SA_ONSTACK|SA_NODEFER|SA_SIGINFO|0x2000, sa_restorer=%#lx}, NULL, 8) = %s",
           (long)handler, (long)restore_rt, rv(r));
    r = syscall(SYS_rt_sigaction, SIGKILL, &act, NULL, 8);
    expect("rt_sigaction(SIGKILL, {sa_handler=%#lx, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=%#lx}, NULL, 8) = %s",
           (long)handler, (long)restore_rt, rv(r));
    r = syscall(SYS_rt_sigaction, 0, NULL, &oact, 8);
    expect("rt_sigaction(0, NULL, 0x%lx, 8) = %s", (long)&oact, rv(r));
    r = syscall(SYS_rt_sigaction, 65, NULL, &oact, 8);
    expect("rt_sigaction(65, NULL, 0x%lx, 8) = %s", (long)&oact, rv(r));
    r = syscall(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8);
    expect("rt_sigaction(SIGUSR1, 0x1, NULL, 8) = %s", rv(r));
    r = syscall(SYS_rt_sigaction, SIGUSR1, &act, NULL, 7);
    expect("rt_sigaction(SIGUSR1, {sa_handler=%#lx, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=%#lx}, NULL, 7) = %s",
           (long)handler, (long)restore_rt, rv(r));

    /* masks */
    set = BIT(SIGUSR1) | BIT(SIGUSR2);
    r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8);
    expect("rt_sigprocmask(SIG_BLOCK, [USR1 USR2], [], 8) = %s", rv(r));
    set = BIT(SIGUSR2);
    r = syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, &old, 8);
    expect("rt_sigprocmask(SIG_UNBLOCK, [USR2], [USR1 USR2], 8) = %s", rv(r));
    set = ~(BIT(SIGKILL) | BIT(SIGSTOP) | BIT(32) | BIT(33));
    r = syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
    expect("rt_sigprocmask(SIG_SETMASK, ~[KILL STOP RTMIN RT_1], NULL, 8) = %s", rv(r));
    r = syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &old, 8);
    expect("rt_sigprocmask(SIG_SETMASK, NULL, ~[KILL STOP RTMIN RT_1], 8) = %s", rv(r));
    set = BIT(SIGHUP) | BIT(SIGCHLD) | BIT(34) | BIT(64);
    r = syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
    expect("rt_sigprocmask(SIG_SETMASK, [HUP CHLD RT_2 RT_32], NULL, 8) = %s", rv(r));
    r = syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8);
    expect("rt_sigprocmask(0x7 /* SIG_??? */, [HUP CHLD RT_2 RT_32], NULL, 8) = %s", rv(r));
    r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8);
    expect("rt_sigprocmask(SIG_BLOCK, 0x1, NULL, 8) = %s", rv(r));
    r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4);
    expect("rt_sigprocmask(SIG_BLOCK, 0x%lx, NULL, 4) = %s", (long)&set, rv(r));
    set = 0;
    r = syscall(SYS_rt_sigprocmask, SIG_SETMASK, &set, &old, 8);
    expect("rt_sigprocmask(SIG_SETMASK, [], [HUP CHLD RT_2 RT_32], 8) = %s", rv(r));

    /* pending and waiting */
    r = syscall(SYS_rt_sigpending, &old, 8);
    expect("rt_sigpending([], 8) = %s", rv(r));
    r = syscall(SYS_rt_sigpending, &old, 4);
    expect("rt_sigpending([], 4) = %s", rv(r));
    r = syscall(SYS_signalfd4, -1, &old, 4, 0);
    expect("signalfd4(-1, 0x%lx, 4, 0) = %s", (long)&old, rv(r));
    r = syscall(SYS_rt_sigpending, BAD, 8);
    expect("rt_sigpending(0x1, 8) = %s", rv(r));
    set = BIT(SIGUSR1);
    struct timespec zero = {0, 0};
    r = syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8);
    expect("rt_sigtimedwait([USR1], NULL, {tv_sec=0, tv_nsec=0}, 8) = %s", rv(r));

    /* signals to self */
    r = syscall(SYS_kill, pid, SIGUSR1);
    expect("kill(%d, SIGUSR1) = %s", pid, rv(r));
    expect("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=%d, si_uid=%u} ---", pid, uid);
    expect("rt_sigreturn({mask=[]}) = 0");
    r = syscall(SYS_kill, pid, SIGUSR2);
    expect("kill(%d, SIGUSR2) = %s", pid, rv(r));
    /* Ignored, but a traced process still stops for it (and strace shows it). */
    expect("--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_USER, si_pid=%d, si_uid=%u} ---", pid, uid);
    r = syscall(SYS_kill, pid, 0);
    expect("kill(%d, 0) = %s", pid, rv(r));
    r = syscall(SYS_kill, pid, 99);
    expect("kill(%d, 99) = %s", pid, rv(r));
    r = syscall(SYS_kill, 99999999, SIGUSR2);
    expect("kill(99999999, SIGUSR2) = %s", rv(r));
    r = syscall(SYS_tgkill, pid, pid, SIGUSR1);
    expect("tgkill(%d, %d, SIGUSR1) = %s", pid, pid, rv(r));
    expect("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=%d, si_uid=%u} ---", pid, uid);
    expect("rt_sigreturn({mask=[]}) = 0");
    r = syscall(SYS_tgkill, pid, 99999999, SIGUSR1);
    expect("tgkill(%d, 99999999, SIGUSR1) = %s", pid, rv(r));

    /* alternate stack */
    stack_t ss = {.ss_sp = stack, .ss_flags = 0, .ss_size = sizeof stack};
    stack_t oss;
    r = syscall(SYS_sigaltstack, &ss, NULL);
    expect("sigaltstack({ss_sp=%#lx, ss_flags=0, ss_size=16384}, NULL) = %s", (long)stack, rv(r));
    r = syscall(SYS_sigaltstack, NULL, &oss);
    expect("sigaltstack(NULL, {ss_sp=%#lx, ss_flags=0, ss_size=16384}) = %s", (long)stack, rv(r));
    stack_t dis = {.ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0};
    r = syscall(SYS_sigaltstack, &dis, &oss);
    expect("sigaltstack({ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}, {ss_sp=%#lx, ss_flags=0, ss_size=16384}) = %s", (long)stack, rv(r));
    stack_t oddss = {.ss_sp = stack, .ss_flags = 7, .ss_size = sizeof stack};
    r = syscall(SYS_sigaltstack, &oddss, NULL);
    expect("sigaltstack({ss_sp=%#lx, ss_flags=SS_ONSTACK|SS_DISABLE|0x4, ss_size=16384}, NULL) = %s", (long)stack, rv(r));
    r = syscall(SYS_sigaltstack, BAD, NULL);
    expect("sigaltstack(0x1, NULL) = %s", rv(r));

    /* signalfd4 */
    set = BIT(SIGUSR1) | BIT(SIGTERM);
    r = syscall(SYS_signalfd4, -1, &set, 8, SFD_CLOEXEC | SFD_NONBLOCK);
    expect("signalfd4(-1, [USR1 TERM], 8, SFD_CLOEXEC|SFD_NONBLOCK) = %s", rv(r));
    r = syscall(SYS_signalfd4, -1, &set, 8, 1);
    expect("signalfd4(-1, [USR1 TERM], 8, 0x1 /* SFD_??? */) = %s", rv(r));
    r = syscall(SYS_signalfd4, -1, BAD, 8, 0);
    expect("signalfd4(-1, 0x1, 8, 0) = %s", rv(r));
    r = syscall(SYS_signalfd4, 12345, &set, 8, 0);
    expect("signalfd4(12345, [USR1 TERM], 8, 0) = %s", rv(r));
    return selfcheck_end(argv[1]);
}
