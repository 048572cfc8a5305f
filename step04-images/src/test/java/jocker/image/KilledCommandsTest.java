package jocker.image;

import jocker.sys.LibC;
import jocker.testing.Cmd;
import jocker.testing.LocalRegistry;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static jocker.testing.Step04Cli.ok;
import static jocker.testing.Step04Cli.step04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pull or an import killed (SIGKILL) in the middle of its work leaves its
 * work files; the next command that opens the store removes them, and the
 * store is as if the killed command had never run (see Scratch).
 */
@RootTest
class KilledCommandsTest {
    @TempDir
    static Path tmp;
    static Path big;
    static LocalRegistry registry;

    private static final Pattern WORK_FILE = Pattern.compile("\\.[a-z]+-p\\d+-s\\d+-.*");

    @BeforeAll
    static void aBigImage() throws Exception {
        // busybox plus 48 MB that gzip cannot shrink: long enough to be killed midway
        big = TestRootfs.copy(Files.createDirectories(tmp.resolve("big")));
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(big.resolve("noise"))) {
            for (int i = 0; i < 48; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")), null, null);
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        TestRootfs.delete(big);
    }

    @Test
    void aKilledImportLeavesNothingOnceTheNextCommandRuns() throws Exception {
        Path root = tmp.resolve("import-root");
        for (String stage : List.of("images", "layers")) {
            killMidwayThenCollect(root, stage, "import", big.toString(), "big:1");
        }
        ok(step04(root, "import", big.toString(), "big:1"));
        System.out.printf("imported whole: the store %d KB%n", du(root));
        assertEquals(1, ok(step04(root, "images", "-q")).out().lines().count());
        assertEquals(List.of(), workFiles(root));
        TestRootfs.delete(root);
    }

    @Test
    void aKilledPullLeavesNothingOnceTheNextCommandRuns() throws Exception {
        String ref = pushedBig("killed");
        Path root = tmp.resolve("pull-root");
        for (String stage : List.of("images/blobs", "layers")) {
            killMidwayThenCollect(root, stage, "pull", ref);
        }
        ok(step04(root, "pull", ref));
        System.out.printf("pulled whole: the store %d KB%n", du(root));
        assertEquals(1, ok(step04(root, "images", "-q")).out().lines().count());
        assertEquals(List.of(), workFiles(root));
        TestRootfs.delete(root);
    }

    @Test
    void aFullDiskIsOneLineThatNamesWhatWasBeingWrittenAndLeavesNothing() throws Exception {
        String ref = pushedBig("full");

        Path root = Files.createDirectories(tmp.resolve("full-root"));
        LibC.mount("tmpfs", root.toString(), "tmpfs", 0, "size=24m"); // half the image's 48 MB
        try {
            Cmd.Result pull = step04(root, "pull", ref);
            assertEquals(125, pull.exitCode(), pull::toString);
            assertEquals(1, pull.err().lines().count(), pull::toString);
            assertTrue(pull.err().matches("step04: " + Pattern.quote(ref) + ": layer [0-9a-f]{12}: (cannot write /noise"
                    + "|cannot store it in " + Pattern.quote(root.toString()) + "/images/blobs): No space left on device\n"),
                    pull::toString);

            Cmd.Result imported = step04(root, "import", big.toString(), "big:1");
            assertEquals(125, imported.exitCode(), imported::toString);
            assertEquals("step04: directory " + big + ": cannot stage it in " + root.resolve("images")
                    + ": No space left on device\n", imported.err());
            assertEquals("", ok(step04(root, "images", "-q")).out(), "nothing half-made");
            assertEquals(List.of(), workFiles(root), "no work file left");
        } finally {
            LibC.umount2(root.toString(), 0);
        }
    }

    @Test
    void aLiveCommandsWorkFilesAreLeftAlone() throws Exception {
        Path root = tmp.resolve("live-root");
        Files.createDirectories(root.resolve("images"));
        Path mine = jocker.layers.Scratch.file(root.resolve("images"), "incoming", "");
        Path dead = root.resolve("images/.incoming-p" + Integer.MAX_VALUE + "-s1-x");
        Files.writeString(dead, "left by a killed pull");
        ok(step04(root, "images"));
        assertTrue(Files.exists(mine), "this JVM runs: its work file stays");
        assertFalse(Files.exists(dead), "a process that is gone: its work file goes");
        TestRootfs.delete(root);
    }

    /** The big image, pushed to the test's registry as NAME/big:1; its reference. */
    private String pushedBig(String name) throws Exception {
        Path maker = tmp.resolve(name + "-maker");
        String ref = registry.host() + "/" + name + "/big:1";
        ok(step04(maker, "import", big.toString(), ref));
        ok(step04(maker, "push", ref));
        TestRootfs.delete(maker);
        return ref;
    }

    /**
     * Runs step04 COMMAND ARGS on root, SIGKILLs it once it writes in stage,
     * and checks that it left work files, that the next command removed
     * them, and that no image was half-made; prints the store's size before
     * and after.
     */
    private static void killMidwayThenCollect(Path root, String stage, String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "--root", root.toString()));
        all.addAll(List.of(args));
        killWhenWorkIn(Cmd.start("jocker.image.cli.Step04", all.toArray(new String[0])), root.resolve(stage));
        assertFalse(workFiles(root).isEmpty(), "killed midway, in " + stage + ", it left work files");
        long before = du(root);
        ok(step04(root, "images"));
        System.out.printf("%s killed in %s: the store %d KB, after the next command %d KB%n", command, stage,
                before, du(root));
        assertEquals(List.of(), workFiles(root), "the next command removed them");
        assertEquals("", ok(step04(root, "images", "-q")).out(), "and no image half-made");
    }

    /** SIGKILLs the command once a work file of its appears in dir and has grown; fails if it ended first. */
    private static void killWhenWorkIn(Cmd cmd, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            for (Path p : workFilesIn(dir)) {
                if (size(p) > 1 << 20) {
                    cmd.signal("KILL");
                    cmd.await(Duration.ofSeconds(30));
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no work file in " + dir);
            if (cmd.isDone()) {
                throw new AssertionError("it ended before it could be killed in " + dir + ": "
                        + cmd.await(Duration.ofSeconds(1)));
            }
            Thread.sleep(2);
        }
    }

    /** What the store takes on disk, in KB, as du counts it (hard links once). */
    private static long du(Path root) throws Exception {
        Process p = new ProcessBuilder("du", "-sk", root.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        return Long.parseLong(out.split("\\s+")[0]);
    }

    private static long size(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            try {
                return Files.size(p);
            } catch (java.nio.file.NoSuchFileException renamedOrGone) {
                return 0; // the command renamed it into place between listing and looking: look again
            }
        }
        long total = 0;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
        } catch (IOException | java.io.UncheckedIOException changing) {
            return 0; // being written or removed: look again
        }
        return total;
    }

    private static List<Path> workFiles(Path root) throws IOException {
        List<Path> all = new ArrayList<>(workFilesIn(root.resolve("images")));
        all.addAll(workFilesIn(root.resolve("images/blobs")));
        all.addAll(workFilesIn(root.resolve("layers")));
        return all;
    }

    private static List<Path> workFilesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> WORK_FILE.matcher(p.getFileName().toString()).matches()).toList();
        }
    }
}
