/* Time from exec to the REPL's first prompt, on a pseudo-terminal, as a user sees it.
   Usage: first_prompt BINARY [RUNS] [HISTORY]. Prints the median, min and max.
   The child gets HISTORY (default: an empty throwaway file) as its history file and
   HOME=/tmp, so the user's files are not read. */
#define _GNU_SOURCE
#include <pty.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *history = "/tmp/ltnb-bench-history";

static double one_run(const char *binary) {
    int master;
    struct winsize ws = {.ws_row = 30, .ws_col = 100};
    double start = now_ms();
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) { perror("forkpty"); exit(1); }
    if (pid == 0) {
        setenv("TERM", "xterm", 1);
        setenv("HOME", "/tmp", 1);
        setenv("INPUTRC", "/dev/null", 1);
        setenv("LTNB_HISTORY", history, 1);
        execl(binary, binary, (char *)NULL);
        _exit(127);
    }
    char buf[8192];
    size_t len = 0;
    double at = -1;
    while (at < 0) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        if (poll(&p, 1, 10000) <= 0) break;
        ssize_t n = read(master, buf + len, sizeof buf - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
        buf[len] = 0;
        if (strstr(buf, "ltnb> ")) at = now_ms() - start;
        if (len > sizeof buf - 64) len = 0;
    }
    write(master, "\x04", 1);
    int status;
    for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++) {
        char drain[1024];
        struct pollfd p = {.fd = master, .events = POLLIN};
        if (poll(&p, 1, 10) > 0 && read(master, drain, sizeof drain) <= 0) break;
    }
    if (waitpid(pid, &status, WNOHANG) == 0) { kill(pid, SIGKILL); waitpid(pid, &status, 0); }
    close(master);
    return at;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s BINARY [RUNS]\n", argv[0]); return 2; }
    int runs = argc > 2 ? atoi(argv[2]) : 20;
    if (argc > 3) history = argv[3];
    double *t = calloc((size_t)runs, sizeof *t);
    one_run(argv[1]);  /* warm the page cache */
    for (int i = 0; i < runs; i++) {
        t[i] = one_run(argv[1]);
        if (t[i] < 0) { fprintf(stderr, "no prompt seen\n"); return 1; }
    }
    qsort(t, (size_t)runs, sizeof *t, cmp);
    printf("first prompt (%s): median %.1f ms, min %.1f ms, max %.1f ms over %d runs\n",
           history, t[runs / 2], t[0], t[runs - 1], runs);
    return 0;
}
