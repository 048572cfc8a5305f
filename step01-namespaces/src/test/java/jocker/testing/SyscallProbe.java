package jocker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A tiny static C program for tests that need one raw system call inside a
 * container (busybox has no keyctl, no prctl): built with gcc (bin/test
 * installs gcc and libc6-dev) into a rootfs as /probe.
 * Usage inside: /probe NR [ARG...] [-- CMD [ARG...]].
 */
public final class SyscallProbe {
    private SyscallProbe() {}

    public static void buildInto(Path rootfs) throws IOException, InterruptedException {
        Path source = Files.createTempFile("syscall-probe", ".c");
        try (InputStream in = SyscallProbe.class.getResourceAsStream("/jocker/seccomp/syscall-probe.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            Process gcc = new ProcessBuilder("gcc", "-static", "-O", "-o", rootfs.resolve("probe").toString(),
                    source.toString()).inheritIO().start();
            if (gcc.waitFor() != 0) {
                throw new AssertionError("gcc -static failed (bin/test installs gcc and libc6-dev)");
            }
        } finally {
            Files.deleteIfExists(source);
        }
    }
}
