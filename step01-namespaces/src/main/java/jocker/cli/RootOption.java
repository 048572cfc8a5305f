package jocker.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * --root: where jocker keeps its state, so tests and courses can use a
 * scratch directory. Without it: $JOCKER_ROOT, else /var/lib/jocker.
 */
public class RootOption {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jocker");

    @Option(names = "--root", paramLabel = "DIR", description = "Data root (default: $JOCKER_ROOT or /var/lib/jocker).")
    Path root = System.getenv("JOCKER_ROOT") != null ? Path.of(System.getenv("JOCKER_ROOT")) : DEFAULT_ROOT;

    public Path dataRoot() {
        return root.toAbsolutePath();
    }
}
