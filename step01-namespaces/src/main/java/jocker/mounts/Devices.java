package jocker.mounts;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

/**
 * The device nodes every container gets in its /dev (a fresh tmpfs), as
 * docker and runc create them: only harmless character devices, no disks.
 */
final class Devices {
    private Devices() {}

    private static final int S_IFCHR = 0020000;

    // tag::devices[]
    /** name, major, minor: see Documentation/admin-guide/devices.txt */
    private static final Object[][] NODES = {
        {"null", 1, 3},
        {"zero", 1, 5},
        {"full", 1, 7},
        {"random", 1, 8},
        {"urandom", 1, 9},
        {"tty", 5, 0},
    };

    /** link name, target */
    private static final String[][] LINKS = {
        {"fd", "/proc/self/fd"},
        {"stdin", "/proc/self/fd/0"},
        {"stdout", "/proc/self/fd/1"},
        {"stderr", "/proc/self/fd/2"},
        {"ptmx", "pts/ptmx"},  // the devpts instance mounted at /dev/pts (newinstance)
    };
    // end::devices[]

    static void create(int rootFd) {
        int devFd = InRoot.mkdirs(rootFd, "/dev", 0755);
        try {
            for (Object[] node : NODES) {
                String name = (String) node[0];
                long device = makedev((Integer) node[1], (Integer) node[2]);
                try {
                    LibC.mknodat(devFd, name, S_IFCHR | 0666, device);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Errno.EEXIST) {
                        throw SysException.of(e, "mknod /dev/" + name);
                    }
                }
            }
            for (String[] link : LINKS) {
                try {
                    LibC.symlinkat(link[1], devFd, link[0]);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Errno.EEXIST) {
                        throw SysException.of(e, "symlink /dev/" + link[0]);
                    }
                }
            }
        } finally {
            InRoot.closeQuietly(devFd);
        }
    }

    /** glibc's makedev(3) encoding of a device number. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
