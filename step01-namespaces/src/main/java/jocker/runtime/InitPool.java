package jocker.runtime;

import jocker.namespaces.UserNamespace;

import java.util.List;

/**
 * Starts the container's init before it is needed.
 *
 * <p>The init JVM takes about 100 ms to boot, and the host spends as long
 * parsing flags and building the spec. They need not wait for each other:
 * bin/stepNN's {@code run} calls {@link #prestart} first thing, with the
 * namespaces docker gives every container, and the init boots inside them
 * while the host works. The runner then takes it if the spec asks for
 * exactly those namespaces; otherwise it is killed and a fitting one started.
 * The init has no config yet, so nothing of the container has run: taking it
 * is the same as starting it then. (The daemon of step 8 keeps such inits
 * ready all the time.)
 */
public final class InitPool {
    private InitPool() {}

    private static InitLauncher prestarted;

    /** Starts an init in new namespaces (clone flags) for the next run to take. */
    public static synchronized void prestart(int unshareFlags) {
        if (prestarted == null) {
            prestarted = InitLauncher.start(unshareFlags, List.of(), Stdio.INHERIT);
        }
    }

    /**
     * An init in exactly these namespaces, with this stdio: the prestarted one if it fits, else a new one
     * (always a new one in a user namespace, or given a state directory: see InitLauncher#start).
     */
    static synchronized InitLauncher take(int unshareFlags, List<SpecConverter.Join> joins, Stdio stdio,
                                          UserNamespace user, boolean cgroupNamespace, int stateDirFd) {
        InitLauncher candidate = prestarted;
        prestarted = null;
        if (candidate != null) {
            if (candidate.unshareFlags == unshareFlags && joins.isEmpty() && candidate.stdio.inherits() && stdio.inherits()
                    && user == null && !cgroupNamespace && stateDirFd < 0) {
                return candidate;
            }
            candidate.abort();
        }
        return InitLauncher.start(unshareFlags, joins, stdio, user, cgroupNamespace, stateDirFd);
    }

    /** Kills a prestarted init nobody took (the run failed before starting). */
    public static synchronized void discard() {
        if (prestarted != null) {
            prestarted.abort();
            prestarted = null;
        }
    }
}
