package jocker.runtime;

import jocker.sys.JockerException;

/** The host could not start or supervise a container; the message says what failed. */
public final class ContainerException extends JockerException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
