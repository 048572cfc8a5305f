package jocker.sys;

/**
 * An error a user should see as one line, with the value that caused it:
 * a bad flag value, a spec that cannot run, a system call that failed on
 * something. The command line prints the message and exits with 125;
 * anything else is a bug and gets a stack trace.
 */
public class JockerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JockerException(String message) {
        super(message);
    }

    public JockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
