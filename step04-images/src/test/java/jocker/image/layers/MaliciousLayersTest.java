package jocker.image.layers;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static jocker.testing.Step04Cli.step04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers built to write outside the store are refused, naming the entry, and leave nothing anywhere. */
@RootTest
class MaliciousLayersTest {
    @TempDir
    Path tmp;
    Path outside;
    Path root;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        root = tmp.resolve("root");
    }

    interface Entries {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path layer(String name, Entries entries) throws IOException {
        Path file = tmp.resolve(name + ".tar");
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entries.write(tar);
        }
        return file;
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private void refused(Path layer, String error) throws IOException {
        Cmd.Result r = step04(root, "import", layer.toString(), "evil:1");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step04: " + error + "\n", r.err());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing written outside the store");
        }
        assertFalse(Files.exists(root.resolve("layers")) && hasLayers(), "no layer kept");
        Path blobs = root.resolve("images/blobs/sha256");
        if (Files.exists(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                assertEquals(0, s.count(), "no blob kept");
            }
        }
    }

    private boolean hasLayers() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("layers"))) {
            return s.anyMatch(p -> p.getFileName().toString().matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void pathTraversalIsRefused() throws IOException {
        String escape = "../".repeat(20) + outside.toString().substring(1) + "/pwned";
        refused(layer("traversal", tar -> file(tar, escape, "x")),
                "imported tar: entry \"" + escape + "\" leaves the layer (\"..\")");
    }

    @Test
    void aWhiteoutOfNoFileIsRefusedBeforeItRemovesAnything() throws IOException {
        for (String whiteout : new String[] {"sub/.wh..", "sub/.wh...", "sub/.wh."}) {
            refused(layer("whiteout", tar -> {
                file(tar, "sub/keep", "x");
                file(tar, whiteout, "");
            }), "imported tar: whiteout entry \"" + whiteout + "\" names no file");
        }
    }

    @Test
    void writingThroughAnAbsoluteSymlinkIsRefused() throws IOException {
        refused(layer("symlink", tar -> {
            link(tar, "escape", outside.toString(), TarConstants.LF_SYMLINK);
            file(tar, "escape/pwned", "x");
        }), "imported tar: entry \"escape/pwned\" is below a symbolic link (escape -> " + outside + ")");
    }

    @Test
    void aHardLinkToAHostFileIsRefused() throws IOException {
        Path secret = Files.writeString(outside.getParent().resolve("secret"), "host secret");
        try {
            refused(layer("hardlink", tar -> link(tar, "stolen", secret.toString(), TarConstants.LF_LINK)),
                    "imported tar: entry \"stolen\" is a hard link to \"" + secret + "\", which is not a file this layer holds");
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void aSymlinkedParentWithARelativeEscapeIsRefused() throws IOException {
        refused(layer("parent", tar -> {
            link(tar, "up", "../../../../../../../../../../.." + outside, TarConstants.LF_SYMLINK);
            file(tar, "up/pwned", "x");
        }), "imported tar: entry \"up/pwned\" is below a symbolic link (up -> ../../../../../../../../../../.." + outside + ")");
    }

    @Test
    void aHardLinkClimbingOutIsRefused() throws IOException {
        refused(layer("hardlink-up", tar -> link(tar, "stolen", "../../../../etc/passwd", TarConstants.LF_LINK)),
                "imported tar: entry \"stolen\" is a hard link to \"../../../../etc/passwd\", which is not a file this layer holds");
    }

    @Test
    void absoluteNamesStayInsideTheLayer() throws IOException {
        Path layer = layer("absolute", tar -> file(tar, outside + "/inside-after-all", "kept in the layer"));
        Cmd.Result r = step04(root, "import", layer.toString(), "absolute:1");
        assertEquals(0, r.exitCode(), r::toString);
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name + "/", true);
        e.setMode(0755);
        e.setModTime(0); // 1970: a time that would show if it landed outside
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    @Test
    void aLaterEntryReplacesADirectoryAndItsTimesLandNowhereElse() throws IOException {
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(outside);
        Path layer = layer("replaced", tar -> {
            dir(tar, "run");
            dir(tar, "run/mount");
            dir(tar, "data");
            dir(tar, "data/sub");
            file(tar, "run", "now a file"); // as tar -r appends: the last entry wins
            link(tar, "data", outside.toString(), TarArchiveEntry.LF_SYMLINK);
        });
        Cmd.Result r = step04(root, "import", layer.toString(), "replaced:1");
        assertEquals(0, r.exitCode(), r::toString);
        Path run;
        try (Stream<Path> layers = Files.list(root.resolve("layers"))) {
            run = layers.map(l -> l.resolve("diff/run")).filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        assertEquals("now a file", Files.readString(run));
        assertTrue(Files.isSymbolicLink(run.resolveSibling("data")));
        assertEquals(before, Files.getLastModifiedTime(outside), "the time of data/ did not go through the symlink");
    }
}
