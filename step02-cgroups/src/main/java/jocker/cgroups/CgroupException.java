package jocker.cgroups;

import jocker.sys.JockerException;

/** A cgroup could not be made, set, read or removed; the message names the file and the value. */
public final class CgroupException extends JockerException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
