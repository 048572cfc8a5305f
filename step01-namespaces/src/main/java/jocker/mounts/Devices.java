package jocker.mounts;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.util.List;

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
                    if (e.getErrorCode() == Errno.EPERM) {
                        bindHostDevice(devFd, name, "/dev/" + name);
                    } else if (e.getErrorCode() != Errno.EEXIST) {
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

    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    /** The spec's own device nodes (linux.devices), with their modes and owners. */
    static void createFromSpec(int rootFd, List<RootfsConfig.DeviceNode> nodes) {
        for (RootfsConfig.DeviceNode node : nodes) {
            String path = node.path();
            int slash = path.lastIndexOf('/');
            int dirFd = InRoot.mkdirs(rootFd, slash == 0 ? "/" : path.substring(0, slash), 0755);
            String name = path.substring(slash + 1);
            int type = node.type() == 'b' ? S_IFBLK : node.type() == 'p' ? S_IFIFO : S_IFCHR;
            try {
                try {
                    LibC.unlinkat(dirFd, name, 0); // the spec's node replaces a default one of that name
                } catch (LastErrorException absent) {
                    // nothing there
                }
                try {
                    LibC.mknodat(dirFd, name, type | node.mode(), makedev(node.major(), node.minor()));
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Errno.EPERM || type == S_IFIFO) {
                        throw e;
                    }
                    bindHostDevice(dirFd, name, path);
                    continue;
                }
                LibC.fchownat(dirFd, name, node.uid(), node.gid(), AT_SYMLINK_NOFOLLOW);
            } catch (LastErrorException e) {
                throw SysException.of(e, "mknod " + path);
            } finally {
                InRoot.closeQuietly(dirFd);
            }
        }
    }

    // tag::bind-device[]
    /**
     * In a user namespace mknod(2) of a device is refused (EPERM) whatever
     * the capabilities: a namespace's root could otherwise make a node for
     * the host's disk. The host's own node is bind-mounted instead, as runc
     * does: it opens what the host's node opens, under the host's device
     * rules, and its owner stays the host's root.
     */
    private static void bindHostDevice(int dirFd, String name, String hostPath) {
        int fd = InRoot.mkfile(dirFd, name);
        try {
            RootfsSetup.mount(hostPath, InRoot.procPath(fd), null, MountFlags.MS_BIND, null, "bind " + hostPath);
        } finally {
            InRoot.closeQuietly(fd);
        }
    }
    // end::bind-device[]

    /** glibc's makedev(3) encoding of a device number. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
