package jocker.mounts;

import java.util.List;

/**
 * What the init stage needs to build the container's filesystem view: the
 * rootfs directory (absolute, on the host), the filesystem to mount on it
 * if it is not used as it is (rootMount: an overlay of layers, in step 3;
 * relative paths in its data are read from the bundle directory), the
 * mounts to make in it, and the paths to hide or make read-only once inside. Mount options are
 * already flags here; the host parsed them (see MountFlags).
 */
public record RootfsConfig(
        String path,
        boolean readonly,
        Entry rootMount,
        String bundle,
        List<Entry> mounts,
        List<String> maskedPaths,
        List<String> readonlyPaths) {

    /** A rootfs that is a plain directory, bind-mounted onto itself. */
    public RootfsConfig(String path, boolean readonly, List<Entry> mounts, List<String> maskedPaths,
                        List<String> readonlyPaths) {
        this(path, readonly, null, null, mounts, maskedPaths, readonlyPaths);
    }

    public RootfsConfig {
        mounts = List.copyOf(mounts);
        maskedPaths = List.copyOf(maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths);
    }

    /** One mount: for a bind mount, source is a host path; type "cgroup" means the host's cgroup hierarchies. */
    public record Entry(String source, String destination, String type, long flags, long propagation, String data) {
        /** A bind mount of a file needs a file, not a directory, as its mount point. */
        public boolean isBindOfFile() {
            return (flags & MountFlags.MS_BIND) != 0 && source != null && new java.io.File(source).isFile();
        }
    }
}
