package jocker.runtime;

import java.nio.file.Path;

/**
 * Where the container's stdin, stdout and stderr go: inherited from jocker
 * (null) or files on the host. Output files are appended to, and created
 * when missing. With a console, the process gets a terminal instead, whose
 * master end is sent over a Unix socket: one at a path (runc's
 * --console-socket), or one end of a socket pair this JVM holds the other
 * end of (consoleEnd, -1 for none: a foreground run's own terminal, see
 * TerminalRelay).
 */
public record Stdio(Path in, Path out, Path err, Path consoleSocket, int consoleEnd) {
    public static final Stdio INHERIT = new Stdio(null, null, null);

    public Stdio(Path in, Path out, Path err) {
        this(in, out, err, null, -1);
    }

    /** A terminal, whose master goes to the Unix socket at path. */
    public static Stdio console(Path socket) {
        return new Stdio(null, null, null, socket, -1);
    }

    /** A terminal, whose master goes over this connected socket (the caller keeps it open and closes it). */
    public static Stdio console(int socketEnd) {
        return new Stdio(null, null, null, null, socketEnd);
    }

    /**
     * Everything inherited from jocker, as a prestarted init has it. Compared
     * field by field: a record's generated equals is linked at its first call
     * (a method handle bootstrap), some 10 ms of a cold JVM's run.
     */
    public boolean inherits() {
        return in == null && out == null && err == null && consoleSocket == null && consoleEnd < 0;
    }

    public boolean hasConsole() {
        return consoleSocket != null || consoleEnd >= 0;
    }

    /** No input, output and errors appended to files (tests, detached containers). */
    public static Stdio toFiles(Path out, Path err) {
        return new Stdio(Path.of("/dev/null"), out, err);
    }
}
