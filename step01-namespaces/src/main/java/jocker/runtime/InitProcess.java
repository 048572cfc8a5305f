package jocker.runtime;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's init, named so that it cannot be mistaken: its pid and the
 * time it started (field 22 of /proc/PID/stat, in clock ticks since boot).
 * Pids are reused; a pid with another start time is another process, and
 * the container's init is gone.
 */
public record InitProcess(int pid, long startTime) {

    /** The process with this pid now; null if there is none. */
    public static InitProcess of(int pid) {
        String stat = stat(pid);
        return stat == null ? null : new InitProcess(pid, startTime(stat));
    }

    // tag::alive[]
    /**
     * True while this very process lives. A zombie has exited, with one
     * exception: while a multi-threaded process (the init JVM) execs from a
     * thread other than its first, the first thread is a zombie for a moment
     * and the process still counts its other thread; it is alive.
     */
    public boolean isAlive() {
        String stat = stat(pid);
        if (stat == null || startTime(stat) != startTime) {
            return false;
        }
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X' || threads(stat) > 1;
    }
    // end::alive[]

    // tag::pidfd[]
    /**
     * Sends a signal to this very process, never to a later one with its pid:
     * a pidfd (pidfd_open(2)) names one process for good, so once it is open
     * and the start time still matches, the signal cannot go astray, however
     * the pid is reused afterwards. Returns false if the process is gone.
     */
    public boolean signal(int signal) {
        int pidfd;
        try {
            pidfd = (int) LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw SysException.of(e, "pidfd_open " + pid);
        }
        try {
            if (!isAlive()) {
                return false;
            }
            LibC.syscall(LibC.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, null, 0);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw SysException.of(e, "send signal " + signal + " to pid " + pid);
        } finally {
            Fd.close(pidfd);
        }
    }
    // end::pidfd[]

    /** Waits until this process is gone (or a zombie); false if it still lives after timeoutMillis. */
    public boolean awaitExit(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive();
            }
        }
        return true;
    }

    private static String stat(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException gone) {
            return null;
        }
    }

    // The second field, the command name, is in parentheses and may itself hold
    // spaces and parentheses: the fields after it are counted from the last ')'.
    private static String field(String stat, int number) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[number - 3];
    }

    static long startTime(String stat) {
        return Long.parseLong(field(stat, 22));
    }

    static int threads(String stat) {
        return Integer.parseInt(field(stat, 20));
    }
}
