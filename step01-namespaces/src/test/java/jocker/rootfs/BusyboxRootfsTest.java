package jocker.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusyboxRootfsTest {
    @TempDir
    Path tmp;

    @Test
    void makesAShellAndTheUsualDirectories() throws IOException {
        Path dir = tmp.resolve("rootfs");
        int links = BusyboxRootfs.create(dir, BusyboxRootfs.DEFAULT_BUSYBOX);
        assertTrue(links > 100, "busybox has hundreds of applets: " + links);
        assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(dir.resolve("bin/sh")));
        assertTrue(Files.isDirectory(dir.resolve("proc")));
        assertEquals(01777, Files.getAttribute(dir.resolve("tmp"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                instanceof Integer m ? m & 07777 : -1);
        assertTrue(Files.readString(dir.resolve("etc/passwd")).startsWith("root:x:0:0:"));
        try (var siblings = Files.list(tmp)) {
            assertEquals(1, siblings.count(), "no temporary directory left beside it");
        }
    }

    @Test
    void refusesANonEmptyDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("rootfs"));
        Files.writeString(dir.resolve("keep"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> BusyboxRootfs.create(dir, BusyboxRootfs.DEFAULT_BUSYBOX));
        assertEquals("mine", Files.readString(dir.resolve("keep")));
    }

    @Test
    void refusesADynamicBusybox() {
        IOException e = assertThrows(IOException.class, () -> BusyboxRootfs.create(tmp.resolve("r"), Path.of("/bin/ls")));
        assertTrue(e.getMessage().contains("is dynamically linked"), e.getMessage());
    }

    @Test
    void refusesAMissingBusybox() {
        IOException e = assertThrows(IOException.class, () -> BusyboxRootfs.create(tmp.resolve("r"), tmp.resolve("nope")));
        assertEquals(tmp.resolve("nope") + ": no such file (install it with: apt-get install busybox-static)", e.getMessage());
    }
}
