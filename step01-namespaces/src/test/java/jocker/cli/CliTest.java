package jocker.cli;

import jocker.spec.Spec;
import jocker.spec.SpecFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's behaviour that needs no container: parsing and every error before a start. */
class CliTest {
    record Run(int code, String out, String err) {
    }

    static Run step01(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new Main(), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void fileErrorsSayWhatHappenedToWhichPath() {
        assertEquals("/x: no such file or directory", Cli.message(new java.nio.file.NoSuchFileException("/x")));
        assertEquals("/x: permission denied",
                Cli.message(new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/x"))));
        assertEquals("/a -> /b: already exists", Cli.message(new java.nio.file.FileAlreadyExistsException("/a", "/b", null)));
        assertEquals("/x: Read-only file system", Cli.message(new java.nio.file.FileSystemException("/x", null, "Read-only file system")));
        assertEquals("disk on fire", Cli.message(new java.io.UncheckedIOException(new java.io.IOException("disk on fire"))));
    }

    @Test
    void anUnknownFlagIsOneLineAnd125() {
        Run r = step01("run", "--frobnicate");
        assertEquals(125, r.code());
        assertEquals("step01: Unknown option: '--frobnicate' (see 'step01 run --help')\n", r.err());
    }

    @Test
    void anUnknownCommandIsOneLineAnd125() {
        Run r = step01("fly");
        assertEquals(125, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aFlagWithoutItsValue() {
        Run r = step01("run", "--rootfs");
        assertEquals(125, r.code());
        assertEquals("step01: Missing required parameter for option '--rootfs' (DIR) (see 'step01 run --help')\n", r.err());
    }

    @Test
    void runNeedsARootfsOrABundle() {
        Run r = step01("run", "--", "true");
        assertEquals(125, r.code());
        assertEquals("step01: either --rootfs DIR or --bundle DIR is required\n", r.err());
    }

    @Test
    void runNeedsACommand(@TempDir Path dir) {
        Run r = step01("run", "--rootfs", dir.toString());
        assertEquals(125, r.code());
        assertEquals("step01: no command given\n", r.err());
    }

    @Test
    void aBadEnvironmentVariable(@TempDir Path dir) {
        Run r = step01("run", "--rootfs", dir.toString(), "-e", "=x", "--", "true");
        assertEquals("step01: invalid environment variable \"=x\" (want KEY=VALUE)\n", r.err());
    }

    @Test
    void aRelativeWorkdir(@TempDir Path dir) {
        Run r = step01("run", "--rootfs", dir.toString(), "-w", "tmp", "--", "true");
        assertEquals("step01: the working directory \"tmp\" is invalid, it needs to be an absolute path\n", r.err());
    }

    @Test
    void helpIsExitZero() {
        Run r = step01("run", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--rootfs=DIR"), r.out());
        assertTrue(r.out().contains("-h, --hostname=NAME"), r.out());
    }

    @Test
    void specPrintsWhatRunWouldUse(@TempDir Path dir) {
        Run r = step01("spec", "--rootfs", dir.toString(), "-h", "box", "-e", "A=1", "-w", "/srv", "-u", "7:8",
                "--read-only", "--", "echo", "hi");
        assertEquals(0, r.code(), r.err());
        Spec spec = SpecFile.parse(r.out());
        assertEquals(List.of("echo", "hi"), spec.process().args());
        assertEquals("box", spec.hostname());
        assertEquals("/srv", spec.process().cwd());
        assertEquals(new Spec.User(7, 8, null, List.of(8)), spec.process().user());
        assertTrue(spec.root().readonly());
        assertTrue(spec.process().env().contains("A=1"));
    }

    @Test
    void bareEnvNamesTakeTheHostsValueOrNothing(@TempDir Path dir) {
        Run r = step01("spec", "--rootfs", dir.toString(), "-e", "PATH", "-e", "JOCKER_SURELY_UNSET_VARIABLE");
        Spec spec = SpecFile.parse(r.out());
        assertEquals("PATH=" + System.getenv("PATH"), spec.process().env().get(0));
        assertTrue(spec.process().env().stream().noneMatch(e -> e.startsWith("JOCKER_SURELY_UNSET_VARIABLE")));
    }

    @Test
    void rootfsBusyboxReportsWhatItMade(@TempDir Path dir) {
        Run r = step01("rootfs", "busybox", dir.resolve("r").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("created .*/r: busybox with \\d+ applet links\n"), r.out());
        Run again = step01("rootfs", "busybox", dir.resolve("r").toString());
        assertEquals(125, again.code());
        assertEquals("step01: " + dir.resolve("r") + ": exists and is not empty\n", again.err());
    }

    @Test
    void rootfsBusyboxGoesUnderTheDataRootByDefault(@TempDir Path dir) {
        Run r = step01("rootfs", "busybox", "--root", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("rootfs/busybox/bin/busybox")));
    }
}
