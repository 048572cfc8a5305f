package jocker.process;

import com.sun.jna.LastErrorException;
import jocker.capabilities.CapabilityCalls;
import jocker.capabilities.CapabilitySets;
import jocker.sys.LibC;
import jocker.sys.SysException;

/**
 * Becomes the container's user with the container's capabilities. Runs
 * last before execve, once nothing needs root any more.
 */
public final class Credentials {
    private Credentials() {}

    private static final int PR_SET_KEEPCAPS = 8;
    private static final int PR_SET_NO_NEW_PRIVS = 38;

    // tag::credentials[]
    public static void apply(ProcessConfig p) {
        CapabilitySets caps = p.capabilities();
        // Keep the permitted set across setresuid(2): without this, leaving uid 0
        // would clear it, and capset below could not grant anything.
        prctl(PR_SET_KEEPCAPS, 1, "keep capabilities across setuid");
        // Needs CAP_SETPCAP, so before the sets are reduced.
        CapabilityCalls.dropBounding(caps.bounding());
        try {
            int[] groups = new int[p.additionalGids().size()];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = p.additionalGids().get(i);
            }
            LibC.setgroups(groups.length, groups);
            LibC.setresgid(p.gid(), p.gid(), p.gid());
            LibC.setresuid(p.uid(), p.uid(), p.uid());
        } catch (LastErrorException e) {
            throw SysException.of(e, "become uid " + p.uid() + " gid " + p.gid());
        }
        prctl(PR_SET_KEEPCAPS, 0, "reset keep-capabilities");
        CapabilityCalls.set(caps.effective(), caps.permitted(), caps.inheritable());
        CapabilityCalls.raiseAmbient(caps.ambient(), caps.permitted(), caps.inheritable());
        if (p.noNewPrivileges()) {
            // setuid binaries and file capabilities stop granting anything from here on
            prctl(PR_SET_NO_NEW_PRIVS, 1, "set no_new_privs");
        }
    }
    // end::credentials[]

    private static void prctl(int option, long value, String what) {
        try {
            LibC.prctl(option, value, 0, 0, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, what);
        }
    }
}
