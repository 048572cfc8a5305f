/* syscall-probe NR [ARG...]: makes one system call, prints "ok" or the error (strerror). For the seccomp tests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long a[6] = {0};
    for (int i = 2; i < argc && i < 8; i++) a[i - 2] = strtol(argv[i], 0, 0);
    long r = syscall(strtol(argv[1], 0, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
    printf("%s\n", r < 0 ? strerror(errno) : "ok");
    return 0;
}
