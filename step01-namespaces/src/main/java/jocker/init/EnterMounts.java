package jocker.init;

import com.sun.jna.LastErrorException;
import jocker.namespaces.Namespace;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;

// tag::enter-mounts[]
/**
 * How {@code exec} enters a running container's filesystem: setns(2) into
 * its mount namespace. The host thread cannot join it before starting the
 * new process, as it joins the others: after pivot_root that namespace shows
 * the container's files, and there is no JVM there to start. So the new
 * process, started from the host's files, enters it itself, first thing. The
 * host already put it in the container's other namespaces (pid, net, ipc,
 * uts, cgroup) by starting it from a thread that had joined them.
 *
 * <p>setns(CLONE_NEWNS) refuses a thread that shares its filesystem
 * information (root, cwd, umask) with other threads, as every JVM thread
 * does: unshare(CLONE_FS) gives this thread its own first. Joining also sets
 * the root and working directory to the namespace's root: the container's
 * rootfs, which its init made the root with pivot_root.
 */
final class EnterMounts {
    private EnterMounts() {}

    /**
     * Enters the mount namespace of a running container's init (host pid),
     * then its root: the namespace's root after pivot_root, or the directory
     * it chrooted into when it has no mount namespace of its own.
     */
    static void of(int pid) {
        String path = "/proc/" + pid + "/ns/mnt";
        int fd;
        int root;
        try {
            fd = LibC.open(path, Fd.O_RDONLY | Fd.O_CLOEXEC, 0);
            root = LibC.open("/proc/" + pid + "/root", Fd.O_PATH | Fd.O_DIRECTORY | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open the namespace and root of process " + pid);
        }
        try {
            LibC.unshare(CLONE_FS);
            LibC.setns(fd, Namespace.MOUNT.cloneFlag());
            LibC.fchdir(root);
            LibC.chroot(".");
        } catch (LastErrorException e) {
            throw SysException.of(e, "enter the mount namespace " + path);
        } finally {
            Fd.close(fd);
            Fd.close(root);
        }
    }

    private static final int CLONE_FS = 0x00000200;
}
// end::enter-mounts[]
