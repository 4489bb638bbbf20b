/* Network family: socket, socketpair, bind, listen, connect, accept4,
 * getsockname, getpeername, sendto/recvfrom, sendmsg/recvmsg,
 * setsockopt/getsockopt, shutdown; sockaddr in, in6, un, netlink.
 * Everything stays on the loopback interface or in AF_UNIX. */
#include "expect.h"
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char *in4(const struct sockaddr_in *a)
{
    static char bufs[4][128];
    static int next;
    char *b = bufs[next++ % 4];
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
    snprintf(b, sizeof bufs[0], "{sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}", ntohs(a->sin_port), ip);
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    long r;
    char buf[128];

    struct sockaddr_in lo = {.sin_family = AF_INET, .sin_port = 0};
    lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct sockaddr_in6 six = {.sin6_family = AF_INET6, .sin6_port = htons(8080), .sin6_flowinfo = htonl(5)};
    inet_pton(AF_INET6, "::1", &six.sin6_addr);

    selfcheck_begin();

    long l = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    expect("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = %s", rv(l));
    r = syscall(SYS_socket, 999, SOCK_STREAM, 0);
    expect("socket(0x3e7 /* AF_??? */, SOCK_STREAM, 0) = %s", rv(r));
    r = syscall(SYS_socket, AF_INET, 0x77, 0);
    expect("socket(AF_INET, 0x77 /* SOCK_??? */, IPPROTO_IP) = %s", rv(r));
    r = syscall(SYS_socket, AF_INET, SOCK_STREAM | 0x10, 0);
    expect("socket(AF_INET, SOCK_STREAM|0x10 /* SOCK_??? */, IPPROTO_IP) = %s", rv(r));
    r = syscall(SYS_socket, AF_INET, SOCK_CLOEXEC | 0x77, 0);
    expect("socket(AF_INET, SOCK_CLOEXEC|0x77, IPPROTO_IP) = %s", rv(r));
    int one = 1;
    r = syscall(SYS_setsockopt, l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    expect("setsockopt(%ld, SOL_SOCKET, SO_REUSEADDR, [1], 4) = %s", l, rv(r));
    r = syscall(SYS_setsockopt, l, SOL_SOCKET, SO_REUSEADDR, BAD, 4);
    expect("setsockopt(%ld, SOL_SOCKET, SO_REUSEADDR, 0x1, 4) = %s", l, rv(r));
    r = syscall(SYS_setsockopt, l, 999, 1, &one, sizeof one);
    expect("setsockopt(%ld, 0x3e7 /* SOL_?? */, 1, [1], 4) = %s", l, rv(r));
    r = syscall(SYS_bind, l, &lo, sizeof lo);
    expect("bind(%ld, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = %s", l, rv(r));
    r = syscall(SYS_bind, l, &six, sizeof six);
    expect("bind(%ld, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = %s", l, rv(r));
    r = syscall(SYS_bind, l, BAD, 16);
    expect("bind(%ld, 0x1, 16) = %s", l, rv(r));
    struct sockaddr_in got;
    socklen_t len = sizeof got;
    r = syscall(SYS_getsockname, l, &got, &len);
    expect("getsockname(%ld, %s, [16]) = %s", l, in4(&got), rv(r));
    r = syscall(SYS_listen, l, 5);
    expect("listen(%ld, 5) = %s", l, rv(r));

    long c = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
    expect("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = %s", rv(c));
    r = syscall(SYS_connect, c, &got, sizeof got);
    expect("connect(%ld, %s, 16) = %s", c, in4(&got), rv(r));
    struct sockaddr_in peer;
    len = sizeof peer;
    long a = syscall(SYS_accept4, l, &peer, &len, SOCK_CLOEXEC);
    expect("accept4(%ld, %s, [16], SOCK_CLOEXEC) = %s", l, in4(&peer), rv(a));
    len = sizeof peer;
    r = syscall(SYS_getpeername, a, &peer, &len);
    expect("getpeername(%ld, %s, [16]) = %s", a, in4(&peer), rv(r));
    r = syscall(SYS_setsockopt, c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    expect("setsockopt(%ld, SOL_TCP, TCP_NODELAY, [1], 4) = %s", c, rv(r));
    int val = -1;
    len = sizeof val;
    r = syscall(SYS_getsockopt, c, IPPROTO_TCP, TCP_NODELAY, &val, &len);
    expect("getsockopt(%ld, SOL_TCP, TCP_NODELAY, [%d], [4]) = %s", c, val, rv(r));
    len = sizeof val;
    r = syscall(SYS_getsockopt, c, SOL_SOCKET, SO_TYPE, &val, &len);
    expect("getsockopt(%ld, SOL_SOCKET, SO_TYPE, [1], [4]) = %s", c, rv(r));
    len = sizeof val;
    r = syscall(SYS_getsockopt, c, SOL_SOCKET, SO_ERROR, BAD, &len);
    expect("getsockopt(%ld, SOL_SOCKET, SO_ERROR, 0x1, [4]) = %s", c, rv(r));
    r = syscall(SYS_sendto, c, "hello", 5, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
    expect("sendto(%ld, \"hello\", 5, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = %s", c, rv(r));
    r = syscall(SYS_recvfrom, a, buf, sizeof buf, 0, NULL, NULL);
    expect("recvfrom(%ld, \"hello\", 128, 0, NULL, NULL) = %s", a, rv(r));
    r = syscall(SYS_recvfrom, a, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
    expect("recvfrom(%ld, 0x%lx, 128, MSG_DONTWAIT, NULL, NULL) = %s", a, (long)buf, rv(r));
    r = syscall(SYS_sendto, c, BAD, 5, 0, NULL, 0);
    expect("sendto(%ld, 0x1, 5, 0, NULL, 0) = %s", c, rv(r));
    r = syscall(SYS_shutdown, c, SHUT_WR);
    expect("shutdown(%ld, SHUT_WR) = %s", c, rv(r));
    r = syscall(SYS_shutdown, c, 7);
    expect("shutdown(%ld, 0x7 /* SHUT_??? */) = %s", c, rv(r));

    /* UDP with addresses */
    long u = syscall(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    expect("socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK, IPPROTO_IP) = %s", rv(u));
    r = syscall(SYS_bind, u, &lo, sizeof lo);
    expect("bind(%ld, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = %s", u, rv(r));
    struct sockaddr_in uaddr;
    len = sizeof uaddr;
    r = syscall(SYS_getsockname, u, &uaddr, &len);
    expect("getsockname(%ld, %s, [16]) = %s", u, in4(&uaddr), rv(r));
    r = syscall(SYS_sendto, u, "\1\2x", 3, 0, &uaddr, sizeof uaddr);
    expect("sendto(%ld, \"\\1\\2x\", 3, 0, %s, 16) = %s", u, in4(&uaddr), rv(r));
    struct sockaddr_in from;
    len = sizeof from;
    r = syscall(SYS_recvfrom, u, buf, sizeof buf, 0, &from, &len);
    expect("recvfrom(%ld, \"\\1\\2x\", 128, 0, %s, [16]) = %s", u, in4(&from), rv(r));
    len = sizeof from;
    r = syscall(SYS_recvfrom, u, buf, sizeof buf, 0, &from, &len);
    expect("recvfrom(%ld, 0x%lx, 128, 0, 0x%lx, [16]) = %s", u, (long)buf, (long)&from, rv(r));

    /* AF_UNIX */
    int sv[2];
    r = syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
    expect("socketpair(AF_UNIX, SOCK_STREAM, 0, [%d, %d]) = %s", sv[0], sv[1], rv(r));
    r = syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD);
    expect("socketpair(AF_UNIX, SOCK_STREAM, 0, 0x1) = %s", rv(r));
    int sv2[2];
    r = syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, sv2);
    expect("socketpair(AF_INET, SOCK_STREAM, 0, 0x%lx) = %s", (long)sv2, rv(r));
    struct iovec iov = {"abc", 3};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    r = syscall(SYS_sendmsg, sv[0], &mh, MSG_NOSIGNAL);
    expect("sendmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_NOSIGNAL) = %s", sv[0], rv(r));
    char in[16];
    struct iovec iov2 = {in, sizeof in};
    struct msghdr mh2 = {.msg_iov = &iov2, .msg_iovlen = 1};
    r = syscall(SYS_recvmsg, sv[1], &mh2, 0);
    expect("recvmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = %s", sv[1], rv(r));
    r = syscall(SYS_recvmsg, sv[1], &mh2, MSG_DONTWAIT);
    expect("recvmsg(%d, {msg_namelen=0}, MSG_DONTWAIT) = %s", sv[1], rv(r));
    r = syscall(SYS_recvmsg, sv[1], BAD, 0);
    expect("recvmsg(%d, 0x1, 0) = %s", sv[1], rv(r));
    r = syscall(SYS_sendmsg, sv[0], BAD, 0);
    expect("sendmsg(%d, 0x1, 0) = %s", sv[0], rv(r));

    long un = syscall(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
    expect("socket(AF_UNIX, SOCK_DGRAM, 0) = %s", rv(un));
    struct sockaddr_un path = {.sun_family = AF_UNIX, .sun_path = "sock"};
    r = syscall(SYS_bind, un, &path, offsetof(struct sockaddr_un, sun_path) + 5);
    expect("bind(%ld, {sa_family=AF_UNIX, sun_path=\"sock\"}, 7) = %s", un, rv(r));
    struct sockaddr_un abs = {.sun_family = AF_UNIX, .sun_path = "\0selfcheck"};
    r = syscall(SYS_connect, un, &abs, offsetof(struct sockaddr_un, sun_path) + 10);
    expect("connect(%ld, {sa_family=AF_UNIX, sun_path=@\"selfcheck\"}, 12) = %s", un, rv(r));

    long nl = syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    expect("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = %s", rv(nl));
    struct sockaddr_nl nla = {.nl_family = AF_NETLINK, .nl_pid = 0, .nl_groups = 0};
    r = syscall(SYS_bind, nl, &nla, sizeof nla);
    expect("bind(%ld, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = %s", nl, rv(r));
    return selfcheck_end(argv[1]);
}
