package jocker.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --root: where jocker keeps its state, so tests and courses can use a scratch directory. */
public class RootOption {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jocker");

    @Option(names = "--root", paramLabel = "DIR", description = "Data root (default: ${DEFAULT-VALUE}).")
    Path root = DEFAULT_ROOT;

    public Path dataRoot() {
        return root.toAbsolutePath();
    }
}
