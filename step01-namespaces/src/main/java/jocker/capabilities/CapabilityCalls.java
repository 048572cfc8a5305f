package jocker.capabilities;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

/**
 * The calls that change the calling thread's capabilities. Capabilities
 * are per thread: these must run on the thread that will execve(2).
 */
public final class CapabilityCalls {
    private CapabilityCalls() {}

    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_RAISE = 2;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    /** Drops every capability not in keep from the bounding set: no execve can ever regain them. */
    public static void dropBounding(long keep) {
        for (int cap = 0; cap < 64; cap++) {
            if ((keep & (1L << cap)) != 0) {
                continue;
            }
            try {
                LibC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINVAL) {
                    return; // past the kernel's last capability (/proc/sys/kernel/cap_last_cap)
                }
                throw SysException.of(e, "drop capability " + cap + " from the bounding set");
            }
        }
    }

    /** capset(2): the effective, permitted and inheritable sets of this thread. */
    public static void set(long effective, long permitted, long inheritable) {
        int[] header = {LINUX_CAPABILITY_VERSION_3, 0};
        int[] data = {
            (int) effective, (int) permitted, (int) inheritable,
            (int) (effective >>> 32), (int) (permitted >>> 32), (int) (inheritable >>> 32),
        };
        try {
            LibC.capset(header, data);
        } catch (LastErrorException e) {
            throw SysException.of(e, "capset");
        }
    }

    /**
     * Raises ambient capabilities, which survive an execve as a non-root
     * user. The kernel only allows one that is both permitted and
     * inheritable; others are skipped, as runc does.
     */
    public static void raiseAmbient(long ambient, long permitted, long inheritable) {
        long possible = ambient & permitted & inheritable;
        for (int cap = 0; cap < 64; cap++) {
            if ((possible & (1L << cap)) == 0) {
                continue;
            }
            try {
                LibC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
            } catch (LastErrorException e) {
                throw SysException.of(e, "raise ambient capability " + cap);
            }
        }
    }
}
