package jocker.sys;

import com.sun.jna.LastErrorException;

/**
 * A failed system call, with what was being done: the message reads like
 * {@code mount proc on /proc: Operation not permitted}.
 */
public final class SysException extends JockerException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public SysException(int errno, String what) {
        super(what + ": " + LibC.strerror(errno));
        this.errno = errno;
    }

    public static SysException of(LastErrorException e, String what) {
        return new SysException(e.getErrorCode(), what);
    }

    public int errno() {
        return errno;
    }
}
