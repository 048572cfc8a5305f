package jocker.process;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

/** Sending signals, where a process that is already gone is not an error. */
public final class Signals {
    private Signals() {}

    public static final int SIGKILL = 9;

    /** kill(2); a negative pid is a process group. Returns false when there was no such process. */
    public static boolean kill(long pid, int signal) {
        try {
            LibC.kill((int) pid, signal);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw SysException.of(e, "kill " + pid + " with signal " + signal);
        }
    }
}
