package jocker.init;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

// tag::install[]
/**
 * Installs a seccomp filter (a BPF program compiled on the host, see
 * jocker.seccomp.Compiler) on the calling thread. The thread that calls
 * execve passes it on to the container's program, and to every process it
 * starts: a filter can never be removed, only more added.
 *
 * <p>The kernel takes a filter from a process without CAP_SYS_ADMIN only once
 * no_new_privs is set (so a setuid program cannot be fooled by a filter). So:
 * with process.noNewPrivileges, it is installed last, after the user and
 * capabilities changed; without, it is installed while the init still has
 * all its capabilities, and the few calls made after it (setgroups,
 * setresuid, capset, prctl, execve) must be allowed by the profile.
 */
final class SeccompFilter {
    private SeccompFilter() {}

    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;

    static void install(byte[] program) {
        Memory filter = new Memory(program.length);
        filter.write(0, program, 0, program.length);
        Memory fprog = new Memory(16);          // struct sock_fprog { u16 len; (pad) struct sock_filter *filter; }
        fprog.clear();
        fprog.setShort(0, (short) (program.length / 8));
        fprog.setPointer(8, filter);
        try {
            LibC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, Pointer.nativeValue(fprog), 0, 0);
        } catch (LastErrorException e) {
            String why = e.getErrorCode() == Errno.EACCES ? " (no CAP_SYS_ADMIN and no no_new_privs)" : "";
            throw SysException.of(e, "install the seccomp filter" + why);
        }
    }
}
// end::install[]
