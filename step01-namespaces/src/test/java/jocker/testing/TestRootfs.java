package jocker.testing;

import jocker.rootfs.BusyboxRootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The busybox rootfs tests run containers in: made once per build, under
 * target/, from the host's busybox-static (bin/test installs it).
 * Tests must not write into it; {@link #copy} gives a private one.
 */
public final class TestRootfs {
    private TestRootfs() {}

    private static Path shared;

    public static synchronized Path busybox() {
        if (shared == null) {
            Path dir = Path.of("target", "test-rootfs", "busybox").toAbsolutePath();
            try {
                if (!Files.isRegularFile(dir.resolve("bin/busybox"))) {
                    if (!Files.isRegularFile(BusyboxRootfs.DEFAULT_BUSYBOX)) {
                        throw new AssertionError("/bin/busybox is missing: apt-get install busybox-static (bin/test does)");
                    }
                    deleteIfPartial(dir);
                    BusyboxRootfs.create(dir, BusyboxRootfs.DEFAULT_BUSYBOX);
                }
            } catch (IOException e) {
                throw new AssertionError("cannot make the test rootfs at " + dir + ": " + e, e);
            }
            shared = dir;
        }
        return shared;
    }

    /** A private copy of the busybox rootfs in dir (symlinks copied as symlinks). */
    public static Path copy(Path dir) throws IOException {
        Path target = dir.resolve("rootfs");
        Process p = new ProcessBuilder("cp", "-a", busybox().toString(), target.toString()).inheritIO().start();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("cp -a of the test rootfs failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return target;
    }

    /** Deletes a rootfs copy (its symlinks point outside a test's temp dir, which JUnit warns about). */
    public static void delete(Path dir) throws IOException {
        deleteIfPartial(dir);
    }

    private static void deleteIfPartial(Path dir) throws IOException {
        if (Files.exists(dir)) {
            Process p = new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
