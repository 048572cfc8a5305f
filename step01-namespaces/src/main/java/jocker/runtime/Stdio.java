package jocker.runtime;

import java.nio.file.Path;

/**
 * Where the container's stdin, stdout and stderr go: inherited from jocker
 * (null) or files on the host. Output files are appended to, and created
 * when missing. With a console socket, the process gets a terminal instead,
 * whose master end is sent to that socket (runc's --console-socket).
 */
public record Stdio(Path in, Path out, Path err, Path consoleSocket) {
    public static final Stdio INHERIT = new Stdio(null, null, null, null);

    public Stdio(Path in, Path out, Path err) {
        this(in, out, err, null);
    }

    /** A terminal, whose master goes to the Unix socket at path. */
    public static Stdio console(Path socket) {
        return new Stdio(null, null, null, socket);
    }

    /** No input, output and errors appended to files (tests, detached containers). */
    public static Stdio toFiles(Path out, Path err) {
        return new Stdio(Path.of("/dev/null"), out, err);
    }
}
