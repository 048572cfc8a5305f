package jocker.process;

/**
 * The container's command could not be started. The exit code follows
 * docker and the shell: 127 when the command does not exist, 126 when it
 * exists but cannot be run, 125 when the container itself could not be set up.
 */
public final class ExecFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int SETUP_FAILED = 125;
    public static final int CANNOT_INVOKE = 126;
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public ExecFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
