package jocker.layers;

import jocker.runtime.InitProcess;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// tag::scratch[]
/**
 * Work files in a store: a layer being unpacked, a blob being downloaded, an
 * archive being imported. Each is made under a temporary name and renamed
 * into place when complete, so a store never shows half an object; but a
 * command killed midway leaves its work file behind, and nothing else would
 * ever remove it (two killed pulls of a 30 MB image left 70 MB).
 *
 * <p>So a work file's name says who owns it: ".KIND-pPID-sSTART-RANDOM",
 * the process's pid and its start time, which together no other process
 * can have. The next command that opens the store removes every work file
 * whose owner is gone; one whose owner still runs (a pull in another
 * terminal) is left alone.
 */
public final class Scratch {
    private Scratch() {}

    private static final Pattern OWNED = Pattern.compile("\\.[a-z]+-p(\\d+)-s(\\d+)-.*");

    /** ".KIND-pPID-sSTART-": the prefix of this process's work files of a kind. */
    static String prefix(String kind) {
        InitProcess self = InitProcess.of((int) ProcessHandle.current().pid());
        return "." + kind + "-p" + self.pid() + "-s" + self.startTime() + "-";
    }

    /** A new, empty work file in dir (which must exist), owned by this process. */
    public static Path file(Path dir, String kind, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix(kind), suffix);
    }

    /** A new, empty work directory in dir (which must exist), owned by this process. */
    public static Path directory(Path dir, String kind) throws IOException {
        return Files.createTempDirectory(dir, prefix(kind));
    }

    /** Removes the work files in dir whose owner has ended; returns how many. */
    public static int collect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*")) {
            for (Path entry : entries) {
                Matcher m = OWNED.matcher(entry.getFileName().toString());
                if (m.matches() && !new InitProcess(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))).isAlive()) {
                    try {
                        TreeCopy.deleteTree(entry);
                        removed++;
                    } catch (NoSuchFileException | DirectoryNotEmptyException collectedMeanwhile) {
                        // another command got to it first
                    }
                }
            }
        }
        return removed;
    }
}
// end::scratch[]
