package jocker.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --root: where jocker keeps its state, so tests and courses can use a scratch directory. */
public class RootOption {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jocker");
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/jocker");

    @Option(names = "--root", paramLabel = "DIR", description = "Data root (default: ${DEFAULT-VALUE}).")
    Path root = DEFAULT_ROOT;

    public Path dataRoot() {
        return root.toAbsolutePath();
    }

    /** Runtime files (sockets): /run/jocker for the default root, DIR/run for any other. */
    public Path runDir() {
        return root.equals(DEFAULT_ROOT) ? DEFAULT_RUN_DIR : dataRoot().resolve("run");
    }
}
