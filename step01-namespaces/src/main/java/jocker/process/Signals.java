package jocker.process;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.util.Locale;

/** Sending signals, where a process that is already gone is not an error. */
public final class Signals {
    private Signals() {}

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    // x86_64 and arm64 numbers (signal(7)); index = number
    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    /**
     * A signal as runc and docker take it: a number ("9"), a name with or
     * without SIG ("KILL", "SIGKILL", "kill"), or RTMIN+N / RTMAX-N.
     */
    public static int parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= SIGRTMAX) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            for (int i = 1; i < NAMES.length; i++) {
                if (NAMES[i].equals(s)) {
                    return i;
                }
            }
            if (s.equals("IOT")) {
                return 6;
            }
            if (s.equals("POLL")) {
                return 29;
            }
            int rt = realtime(s);
            if (rt > 0) {
                return rt;
            }
        }
        throw new IllegalArgumentException("invalid signal \"" + text + "\"");
    }

    private static int realtime(String s) {
        try {
            if (s.equals("RTMIN")) {
                return SIGRTMIN;
            }
            if (s.equals("RTMAX")) {
                return SIGRTMAX;
            }
            if (s.startsWith("RTMIN+")) {
                int n = SIGRTMIN + Integer.parseInt(s.substring(6));
                return n <= SIGRTMAX ? n : -1;
            }
            if (s.startsWith("RTMAX-")) {
                int n = SIGRTMAX - Integer.parseInt(s.substring(6));
                return n >= SIGRTMIN ? n : -1;
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return -1;
    }

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
