/* A static i386 program (gcc -m32 -static) making a set of 32-bit
 * syscalls, some through glibc and some raw, for crates/cli/tests/corpus_m32.rs:
 * ptrail must name and decode them as strace does for i386 tracees.
 * It works in the current directory (the test gives it a fresh one). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
    char buf[64];
    struct stat st;
    struct utsname un;
    int fds[2], sv[2];

    write(1, "m32 start\n", 10);
    syscall(SYS_getpid);
    syscall(SYS_getuid32);
    syscall(SYS_getgid32);
    syscall(SYS_geteuid32);
    uname(&un);

    int fd = open("m32.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, "hello from i386\n", 16);
    struct iovec iov[2] = {{"ab", 2}, {"cd\n", 3}};
    writev(fd, iov, 2);
    close(fd);

    fd = open("m32.txt", O_RDONLY);
    fstat(fd, &st);
    read(fd, buf, sizeof buf);
    long long pos;
    syscall(SYS__llseek, fd, 0L, 4L, &pos, SEEK_SET);
    pread(fd, buf, 4, 2);
    syscall(SYS_fcntl64, fd, F_GETFD);
    dup2(fd, 10);
    close(10);
    close(fd);

    stat("m32.txt", &st);
    lstat("m32.txt", &st);
    access("m32.txt", R_OK);
    syscall(SYS_access, "missing.txt", F_OK);
    mkdir("m32dir", 0755);
    rename("m32.txt", "m32dir/moved.txt");
    unlink("m32dir/moved.txt");
    rmdir("m32dir");
    chdir(".");

    pipe(fds);
    write(fds[1], "p", 1);
    read(fds[0], buf, 1);
    close(fds[0]);
    close(fds[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    send(sv[0], "s", 1, 0);
    recv(sv[1], buf, 1, 0);
    close(sv[0]);
    close(sv[1]);

    void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(p, 4096, PROT_READ);
    munmap(p, 8192);
    syscall(SYS_brk, 0);

    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
    syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, &ts);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    pid_t child = fork();
    if (child == 0) {
        write(1, "child\n", 6);
        _exit(3);
    }
    int status;
    waitpid(child, &status, 0);
    syscall(SYS_waitpid, -1, &status, WNOHANG);

    syscall(SYS_getppid);
    write(1, "m32 end\n", 8);
    return 0;
}
