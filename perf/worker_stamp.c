/* Queue script of perf/worker_bench.sh (latency, compiled): the same job as worker_stamp.sh
 * without an interpreter's start-up. Its first instruction stamps the time, so commit ->
 * start measures the server's part alone; worker_stamp.sh measures it with bash's start
 * added (1.5-3 ms on the dev VMs, more than the server's share).
 * Appends "<RQ_MSG_ID> <unix seconds.microseconds>\n" to the file named by RQ_PARAM1 and
 * reports success on fd 3. Built by worker_bench.sh with the system's cc. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const char *id = getenv("RQ_MSG_ID"), *path = getenv("RQ_PARAM1");
    if (!id || !path) return 2;
    char line[256];
    int n = snprintf(line, sizeof line, "%s %lld.%06ld\n", id, (long long)now.tv_sec, now.tv_nsec / 1000);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || n <= 0 || n >= (int)sizeof line || write(fd, line, (size_t)n) != n) return 1;
    close(fd);
    static const char done[] = "done ok\n";
    return write(3, done, sizeof done - 1) == (ssize_t)(sizeof done - 1) ? 0 : 1;
}
