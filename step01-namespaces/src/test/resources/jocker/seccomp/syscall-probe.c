/* syscall-probe NR [ARG...] [-- CMD [ARG...]]: makes one system call, prints "ok" or the error (strerror),
   then execs CMD if given. For the tests that need a raw system call inside a container. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long a[6] = {0};
    int cmd = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { cmd = i + 1; break; }
        if (i < 8) a[i - 2] = strtol(argv[i], 0, 0);
    }
    long r = syscall(strtol(argv[1], 0, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
    printf("%s\n", r < 0 ? strerror(errno) : "ok");
    fflush(stdout);
    if (cmd > 0 && cmd < argc) {
        execv(argv[cmd], argv + cmd);
        perror("execv");
        return 127;
    }
    return 0;
}
