package jocker.runtime;

import java.nio.file.Path;

/**
 * Where the container's stdin, stdout and stderr go: inherited from jocker
 * (null) or files on the host. Output files are appended to, and created
 * when missing.
 */
public record Stdio(Path in, Path out, Path err) {
    public static final Stdio INHERIT = new Stdio(null, null, null);

    /** No input, output and errors appended to files (tests, detached containers). */
    public static Stdio toFiles(Path out, Path err) {
        return new Stdio(Path.of("/dev/null"), out, err);
    }
}
