package jocker.mounts;

import jocker.sys.Fd;
import jocker.sys.Errno;
import jocker.sys.SysException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths resolved inside a root never lead out of it, whatever symlinks the root holds. */
class InRootTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    int rootFd;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host");
        rootFd = InRoot.openRoot(root.toString());
    }

    @AfterEach
    void tearDown() {
        InRoot.closeQuietly(rootFd);
    }

    private String read(int fd) throws IOException {
        try {
            return Files.readString(Path.of(InRoot.procPath(fd)));
        } finally {
            InRoot.closeQuietly(fd);
        }
    }

    @Test
    void mkdirsFollowsSymlinksInsideTheRootAndMakesWhatTheyNameIfMissing() throws IOException {
        Files.createSymbolicLink(root.resolve("data"), Path.of(outside.toString())); // absolute: the root's own
        Files.createSymbolicLink(root.resolve("work"), Path.of("../opt/app"));       // relative, climbing
        InRoot.closeQuietly(InRoot.mkdirs(rootFd, "/data/sub", 0755));
        InRoot.closeQuietly(InRoot.mkdirs(rootFd, "/work", 0755));
        assertTrue(Files.isDirectory(root.resolve(outside.toString().substring(1)).resolve("sub")), "made in the root");
        assertTrue(Files.isDirectory(root.resolve("opt/app")));
        assertEquals(List.of("secret"), List.of(outside.toFile().list()), "the host's directory is untouched");

        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        SysException loop = assertThrows(SysException.class, () -> InRoot.mkdirs(rootFd, "/a/x", 0755));
        assertEquals(Errno.ELOOP, loop.errno(), loop.getMessage());
    }

    @Test
    void anAbsoluteSymlinkResolvesInsideTheRoot() throws IOException {
        Files.createDirectories(root.resolve(outside.toString().substring(1)));
        Files.writeString(root.resolve(outside.toString().substring(1)).resolve("secret"), "rootfs");
        Files.createSymbolicLink(root.resolve("link"), outside.resolve("secret"));
        assertEquals("rootfs", read(InRoot.open(rootFd, "/link", Fd.O_RDONLY, 0)));
    }

    @Test
    void dotDotStopsAtTheRoot() throws IOException {
        Files.writeString(root.resolve("file"), "inside");
        assertEquals("inside", read(InRoot.open(rootFd, "../../../../file", Fd.O_RDONLY, 0)));
        SysException e = assertThrows(SysException.class,
                () -> InRoot.open(rootFd, "../outside/secret", Fd.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void mkdirsThroughASymlinkToTheHostStaysInside() throws IOException {
        Files.createDirectories(root.resolve(outside.toString().substring(1)));
        Files.createSymbolicLink(root.resolve("dev"), outside);
        InRoot.closeQuietly(InRoot.mkdirs(rootFd, "/dev/pts", 0755));
        assertFalse(Files.exists(outside.resolve("pts")), "nothing was created outside the root");
        assertTrue(Files.isDirectory(root.resolve(outside.toString().substring(1)).resolve("pts")));
    }

    @Test
    void mkdirsThroughASymlinkToAHostPathMakesItInsideTheRootNeverOutside() throws IOException {
        Files.createSymbolicLink(root.resolve("dev"), outside);
        InRoot.closeQuietly(InRoot.mkdirs(rootFd, "/dev/pts", 0755));
        assertFalse(Files.exists(outside.resolve("pts")), "nothing written outside");
        assertTrue(Files.isDirectory(root.resolve(outside.toString().substring(1)).resolve("pts")));
    }

    @Test
    void mkfileCreatesParentsAndAnEmptyFile() throws IOException {
        InRoot.closeQuietly(InRoot.mkfile(rootFd, "/etc/hosts"));
        assertEquals(0, Files.size(root.resolve("etc/hosts")));
    }

    @Test
    void mkdirsOfTheRootItself() throws IOException {
        int fd = InRoot.mkdirs(rootFd, "/", 0755);
        try {
            assertEquals(root.toRealPath().toString(), Files.readSymbolicLink(Path.of(InRoot.procPath(fd))).toString(),
                    "the root's own directory, nothing made");
        } finally {
            InRoot.closeQuietly(fd);
        }
    }

    @Test
    void mkdirsOverAFileFails() throws IOException {
        Files.writeString(root.resolve("file"), "x");
        SysException e = assertThrows(SysException.class, () -> InRoot.mkdirs(rootFd, "/file/sub", 0755));
        assertTrue(e.getMessage().startsWith("open /file in root: "), e.getMessage());
    }

    @Test
    void openingAMissingRootIsNamed() {
        SysException e = assertThrows(SysException.class, () -> InRoot.openRoot(tmp.resolve("nope").toString()));
        assertEquals("open root " + tmp.resolve("nope") + ": No such file or directory", e.getMessage());
    }
}
