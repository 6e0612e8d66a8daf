#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Only async-signal-safe calls happen in the child, on the parent's stack while the
// parent is suspended (vfork): this is what glibc's posix_spawn does, plus one write.

static int write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

/// "\n<pid>" into `buffer`, returns its length. No snprintf: not async-signal-safe.
static size_t format_pid_line_start(char buffer[32], pid_t pid) {
    char digits[24];
    size_t count = 0;
    unsigned long value = (unsigned long)pid;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    buffer[0] = '\n';
    for (size_t i = 0; i < count; i++) buffer[1 + i] = digits[count - 1 - i];
    return count + 1;
}

static void report_exec_failure(const char *path, int error) {
    // strerrorname_np reads a static table (no locale, no allocation), unlike strerror.
    const char *name = strerrorname_np(error);
    const char *parts[] = {"rq-worker: cannot exec ", path, ": ", name ? name : "error", "\n"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (write_all(2, parts[i], strlen(parts[i])) < 0) return;
    }
}

static int move_to(int fd, int target) {
    return dup2(fd, target) < 0 ? -1 : 0;
}

static void reset_signal_dispositions(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        // Fails harmlessly for SIGKILL, SIGSTOP and numbers glibc reserves.
        (void)sigaction(signal_number, &action, NULL);
    }
}

pid_t rq_spawn_with_header(const char *path, char *const argv[], char *const envp[],
                           int log_fd, int status_fd, int reply_fd, const char *cwd,
                           int niceness, const char *header_tail, size_t header_tail_length) {
    // Every signal stays blocked across vfork so no handler of the server runs in the
    // child, which shares the server's memory until it execs.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);

    volatile int child_errno = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        reset_signal_dispositions();
        int null_fd;
        if (setpgid(0, 0) < 0) goto fail;
        null_fd = open("/dev/null", O_RDONLY);
        if (null_fd < 0) goto fail;
        if (null_fd != 0 && (move_to(null_fd, 0) < 0 || close(null_fd) < 0)) goto fail;
        // The given fds are close-on-exec and >= 5 (the caller guarantees it); dup2
        // clears close-on-exec on the copies.
        if (move_to(log_fd, 1) < 0 || move_to(log_fd, 2) < 0) goto fail;
        if (move_to(status_fd, 3) < 0 || move_to(reply_fd, 4) < 0) goto fail;
        if (syscall(SYS_close_range, 5U, ~0U, 0U) < 0) goto fail;
        if (chdir(cwd) < 0) goto fail;
        // Best effort, as before: an unprivileged server cannot lower the value.
        (void)setpriority(PRIO_PROCESS, 0, niceness);
        char line_start[32];
        size_t line_start_length = format_pid_line_start(line_start, getpid());
        if (write_all(1, line_start, line_start_length) < 0) goto fail;
        if (write_all(1, header_tail, header_tail_length) < 0) goto fail;
        sigset_t empty;
        sigemptyset(&empty);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        execve(path, argv, envp);
        // Like the shell prologue this replaces: the run exists (its header is in the log),
        // so a failed exec is the script's failure, told in its log, exit status 127.
        report_exec_failure(path, errno);
        _exit(127);
    fail:
        child_errno = errno;
        _exit(127);
    }
    int spawn_errno = pid < 0 ? errno : child_errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) return -spawn_errno;
    if (spawn_errno != 0) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        return -spawn_errno;
    }
    return pid;
}
