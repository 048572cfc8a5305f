package jocker.spec;

import jocker.sys.JockerException;

/** A container spec, or a flag that builds one, that cannot be run; the message names the value. */
public final class SpecException extends JockerException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
