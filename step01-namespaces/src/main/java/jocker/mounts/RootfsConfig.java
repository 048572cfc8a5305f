package jocker.mounts;

import java.io.File;
import java.util.List;

/**
 * What the init stage needs to build the container's filesystem view: the
 * rootfs directory (absolute, on the host), the filesystem to mount on it
 * if it is not used as it is (rootMount: an overlay of layers, in step 3;
 * relative paths in its data are read from the bundle directory), the
 * mounts to make in it, and the paths to hide or make read-only once inside. Mount options are
 * already flags here; the host parsed them (see MountFlags). The spec's own
 * device nodes (linux.devices) and kernel parameters (linux.sysctl, as
 * "net.ipv4.ip_forward=1") are made once the container's /dev and /proc exist;
 * rootPropagation (linux.rootfsPropagation, as mount flags; 0: private, as
 * the setup leaves it) is given to the new root once inside. Without a mount
 * namespace of its own (ownMountNamespace false: rare, runc allows it), the
 * mounts are made in the host's, on the rootfs, and the init chroots into it.
 */
public record RootfsConfig(
        String path,
        boolean readonly,
        Entry rootMount,
        String bundle,
        List<Entry> mounts,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        List<DeviceNode> devices,
        List<String> sysctl,
        long rootPropagation,
        boolean ownMountNamespace) {

    /** A rootfs that is a plain directory, bind-mounted onto itself. */
    public RootfsConfig(String path, boolean readonly, List<Entry> mounts, List<String> maskedPaths,
                        List<String> readonlyPaths) {
        this(path, readonly, null, null, mounts, maskedPaths, readonlyPaths, List.of(), List.of(), 0, true);
    }

    public RootfsConfig {
        mounts = List.copyOf(mounts);
        maskedPaths = List.copyOf(maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths);
        devices = devices == null ? List.of() : List.copyOf(devices);
        sysctl = sysctl == null ? List.of() : List.copyOf(sysctl);
    }

    /** A device node of linux.devices: type 'c', 'b' or 'p' (a FIFO), its numbers, mode and owner. */
    public record DeviceNode(String path, char type, long major, long minor, int mode, int uid, int gid) {
    }

    /** One mount: for a bind mount, source is a host path; type "cgroup" means the host's cgroup hierarchies. */
    public record Entry(String source, String destination, String type, long flags, long propagation, String data) {
        /** A bind mount of a file needs a file, not a directory, as its mount point. */
        public boolean isBindOfFile() {
            return (flags & MountFlags.MS_BIND) != 0 && source != null && new File(source).isFile();
        }
    }
}
