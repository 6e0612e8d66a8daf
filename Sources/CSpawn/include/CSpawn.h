#ifndef RQ_CSPAWN_H
#define RQ_CSPAWN_H

#include <sys/types.h>
#include <stddef.h>

/// Starts `path` the way worker-protocol.md §6.2 lays out a queue script, and writes the
/// `RQ START` header into the log from the child itself, between setup and `execve`:
/// the child knows its own pid, so the header line has its exact bytes and is in the file
/// before anything the program writes, with no extra program (shell) started per job.
///
/// Child: own process group; fd 0 `/dev/null`; fds 1+2 `log_fd`; fd 3 `status_fd`;
/// fd 4 `reply_fd`; nothing else open; cwd `cwd`; nice `niceness`; every signal at its
/// default disposition and an empty mask; then writes `"\n" <pid> header_tail` to fd 1.
///
/// Returns the child's pid, or a negated errno when the child's setup failed before the
/// header (that child is reaped before returning). A failing `execve` happens after the
/// header: the child reports it on fd 2 and exits 127, as a shell would.
pid_t rq_spawn_with_header(const char *path, char *const argv[], char *const envp[],
                           int log_fd, int status_fd, int reply_fd, const char *cwd,
                           int niceness, const char *header_tail, size_t header_tail_length);

#endif
