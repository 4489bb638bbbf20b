/* Polling family: poll, ppoll, select, pselect6, epoll_create1,
 * epoll_ctl, epoll_wait, epoll_pwait. Every wait has a zero timeout. */
#include "expect.h"
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    int p[2], q[2];
    if (pipe(p) || pipe(q))
        return 2;
    int pr = p[0], pw = p[1];
    unsigned long usr1 = 1UL << (SIGUSR1 - 1);

    selfcheck_begin();

    struct pollfd one = {pr, POLLIN, 0};
    r = syscall(SYS_poll, &one, 1, 0);
    expect("poll([{fd=%d, events=POLLIN}], 1, 0) = 0 (Timeout)", pr);
    r = syscall(SYS_write, pw, "x", 1);
    expect("write(%d, \"x\", 1) = %s", pw, rv(r));
    struct pollfd three[4] = {{pr, POLLIN | POLLPRI, 0}, {pw, POLLOUT | 0x8000, 0}, {-1, POLLIN, 0}, {12345, POLLIN, 0}};
    r = syscall(SYS_poll, three, 4, 0);
    expect("poll([{fd=%d, events=POLLIN|POLLPRI}, {fd=%d, events=POLLOUT|POLL_BUSY_LOOP}, {fd=-1}, {fd=12345, events=POLLIN}], 4, 0) = %ld ([{fd=%d, revents=POLLIN}, {fd=%d, revents=POLLOUT}, {fd=12345, revents=POLLNVAL}])",
           pr, pw, r, pr, pw);
    r = syscall(SYS_poll, BAD, 1, 0);
    expect("poll(0x1, 1, 0) = %s", rv(r));
    r = syscall(SYS_poll, NULL, 0, 0);
    expect("poll(NULL, 0, 0) = 0 (Timeout)");

    struct timespec zero = {0, 0};
    struct pollfd qq = {q[0], POLLIN, 0};
    r = syscall(SYS_ppoll, &qq, 1, &zero, &usr1, 8);
    expect("ppoll([{fd=%d, events=POLLIN}], 1, {tv_sec=0, tv_nsec=0}, [USR1], 8) = 0 (Timeout)", q[0]);
    r = syscall(SYS_ppoll, &one, 1, &zero, NULL, 8);
    expect("ppoll([{fd=%d, events=POLLIN}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 1 ([{fd=%d, revents=POLLIN}], left {tv_sec=0, tv_nsec=0})", pr, pr);
    struct timespec badts = {0, -1};
    r = syscall(SYS_ppoll, &one, 1, &badts, NULL, 8);
    /* strace 6.1 prints tv_nsec as unsigned here */
    expect("ppoll([{fd=%d, events=POLLIN}], 1, {tv_sec=0, tv_nsec=18446744073709551615}, NULL, 8) = %s", pr, rv(r));

    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(pr, &rd);
    FD_SET(q[0], &rd);
    FD_SET(pw, &wr);
    int nfds = (q[0] > pw ? q[0] : pw) + 1;
    struct timeval tv0 = {0, 0};
    r = syscall(SYS_select, nfds, &rd, &wr, NULL, &tv0);
    expect("select(%d, [%d %d], [%d], NULL, {tv_sec=0, tv_usec=0}) = %ld (in [%d], out [%d], left {tv_sec=0, tv_usec=0})",
           nfds, pr < q[0] ? pr : q[0], pr < q[0] ? q[0] : pr, pw, r, pr, pw);
    FD_ZERO(&rd);
    FD_SET(q[0], &rd);
    tv0.tv_sec = 0;
    r = syscall(SYS_select, nfds, &rd, NULL, NULL, &tv0);
    expect("select(%d, [%d], NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)", nfds, q[0]);
    r = syscall(SYS_select, -1, NULL, NULL, NULL, NULL);
    expect("select(-1, NULL, NULL, NULL, NULL) = %s", rv(r));
    r = syscall(SYS_select, nfds, BAD, NULL, NULL, &tv0);
    expect("select(%d, 0x1, NULL, NULL, {tv_sec=0, tv_usec=0}) = %s", nfds, rv(r));

    FD_ZERO(&rd);
    FD_SET(pr, &rd);
    struct {
        void *set;
        size_t len;
    } sig = {&usr1, 8};
    r = syscall(SYS_pselect6, pr + 1, &rd, NULL, NULL, &zero, &sig);
    expect("pselect6(%d, [%d], NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=[USR1], sigsetsize=8}) = 1 (in [%d], left {tv_sec=0, tv_nsec=0})",
           pr + 1, pr, pr);
    r = syscall(SYS_pselect6, pr + 1, &rd, NULL, NULL, &zero, NULL);
    expect("pselect6(%d, [%d], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = 1 (in [%d], left {tv_sec=0, tv_nsec=0})", pr + 1, pr, pr);
    r = syscall(SYS_pselect6, pr + 1, &rd, NULL, NULL, &zero, BAD);
    expect("pselect6(%d, [%d], NULL, NULL, {tv_sec=0, tv_nsec=0}, 0x1) = %s", pr + 1, pr, rv(r));

    long ep = syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
    expect("epoll_create1(EPOLL_CLOEXEC) = %s", rv(ep));
    r = syscall(SYS_epoll_create1, 0x1);
    expect("epoll_create1(0x1 /* EPOLL_??? */) = %s", rv(r));
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x1234567890ULL};
    r = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, pr, &ev);
    expect("epoll_ctl(%ld, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLET, data={u32=878082192, u64=78187493520}}) = %s", ep, pr, rv(r));
    struct epoll_event ev2 = {.events = EPOLLOUT | 0x100000, .data.fd = pw};
    r = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, pw, &ev2);
    expect("epoll_ctl(%ld, EPOLL_CTL_ADD, %d, {events=EPOLLOUT|0x100000, data={u32=%d, u64=%d}}) = %s", ep, pw, pw, pw, rv(r));
    r = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, pw, NULL);
    expect("epoll_ctl(%ld, EPOLL_CTL_DEL, %d, NULL) = %s", ep, pw, rv(r));
    r = syscall(SYS_epoll_ctl, ep, 99, pw, &ev2);
    expect("epoll_ctl(%ld, 0x63 /* EPOLL_CTL_??? */, %d, {events=EPOLLOUT|0x100000, data={u32=%d, u64=%d}}) = %s", ep, pw, pw, pw, rv(r));
    r = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, pr, BAD);
    expect("epoll_ctl(%ld, EPOLL_CTL_MOD, %d, 0x1) = %s", ep, pr, rv(r));
    r = syscall(SYS_epoll_ctl, 12345, EPOLL_CTL_ADD, pr, &ev);
    expect("epoll_ctl(12345, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLET, data={u32=878082192, u64=78187493520}}) = %s", pr, rv(r));

    struct epoll_event out[8];
    r = syscall(SYS_epoll_wait, ep, out, 8, 0);
    expect("epoll_wait(%ld, [{events=EPOLLIN, data={u32=878082192, u64=78187493520}}], 8, 0) = %s", ep, rv(r));
    r = syscall(SYS_epoll_wait, ep, out, 8, 0);
    expect("epoll_wait(%ld, [], 8, 0) = %s", ep, rv(r));
    r = syscall(SYS_epoll_wait, ep, BAD, 8, 0);
    expect("epoll_wait(%ld, [], 8, 0) = %s", ep, rv(r));
    r = syscall(SYS_epoll_wait, ep, out, 0, 0);
    expect("epoll_wait(%ld, 0x%lx, 0, 0) = %s", ep, (long)out, rv(r));
    r = syscall(SYS_epoll_pwait, ep, out, 8, 0, &usr1, 8);
    expect("epoll_pwait(%ld, [], 8, 0, [USR1], 8) = %s", ep, rv(r));
    r = syscall(SYS_epoll_pwait, ep, out, 8, 0, NULL, 8);
    expect("epoll_pwait(%ld, [], 8, 0, NULL, 8) = %s", ep, rv(r));
    r = syscall(SYS_epoll_pwait, 12345, out, 8, 0, &usr1, 8);
    expect("epoll_pwait(12345, 0x%lx, 8, 0, 0x%lx, 8) = %s", (long)out, (long)&usr1, rv(r));
    return selfcheck_end(argv[1]);
}
