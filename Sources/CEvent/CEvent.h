// The only C the project has: libevent's headers plus the few libc prototypes and
// macros Swift's Glibc module does not expose. Everything here is reached from
// Sources/RQLoop alone.
#ifndef RQ_CEVENT_H
#define RQ_CEVENT_H

// libc first: event-config.h defines _GNU_SOURCE, and libc headers parsed after it
// clash with Swift's Glibc module.
#include <fcntl.h>
#include <spawn.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/buffer.h>
#include <event2/listener.h>
#include <event2/dns.h>
#include <event2/util.h>

// Present in glibc 2.36 but hidden from Swift behind feature macros.
int pipe2(int pipefd[2], int flags);
// Starts writeback of a file range without waiting (SYNC_FILE_RANGE_WRITE = 2).
int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);
int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);

// SOCK_STREAM/SOCK_CLOEXEC are declared both by Swift's Glibc module and by these headers
// (parsed with _GNU_SOURCE); which one Swift sees depends on build order, so RQLoop asks here.
static inline int rq_sock_stream(void) { return SOCK_STREAM; }
static inline int rq_sock_cloexec(void) { return SOCK_CLOEXEC; }

// prctl is variadic, which Swift cannot call.
static inline int rq_become_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L); }

static inline int rq_wifexited(int status) { return WIFEXITED(status); }
static inline int rq_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int rq_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int rq_wtermsig(int status) { return WTERMSIG(status); }

// Process/ExitStatus.swift: the signal's abbreviation ("TERM") for Ruby-style exit
// descriptions ("pid 12 SIGTERM (signal 15)"); glibc >= 2.32, hidden like the above.
const char *sigabbrev_np(int sig);

#endif
