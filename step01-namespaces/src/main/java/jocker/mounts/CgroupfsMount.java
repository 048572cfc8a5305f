package jocker.mounts;

import com.sun.jna.LastErrorException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static jocker.mounts.MountFlags.MS_BIND;
import static jocker.mounts.MountFlags.MS_RDONLY;
import static jocker.mounts.MountFlags.MS_REMOUNT;

/**
 * The "cgroup" mount of config.json: the container's view of the cgroup
 * filesystem at /sys/fs/cgroup. Mounted from inside the container's cgroup
 * namespace, each hierarchy shows the container's own cgroup as its root.
 *
 * <p>A cgroup v2 host has one hierarchy: one cgroup2 mount. A v1 or hybrid
 * host has one hierarchy per controller set: a tmpfs with one cgroup mount
 * in it per host hierarchy, named as on the host (cpu, memory, ..., unified).
 */
final class CgroupfsMount {
    private CgroupfsMount() {}

    private static final long CGROUP2_SUPER_MAGIC = 0x63677270L;
    private static final String HOST_CGROUP_ROOT = "/sys/fs/cgroup";

    /** A host hierarchy: its directory name under /sys/fs/cgroup, its type and mount data. */
    record Hierarchy(String name, String type, String data) {
    }

    static void mount(int rootFd, RootfsConfig.Entry m) {
        long flags = m.flags();
        int targetFd = InRoot.mkdirs(rootFd, m.destination(), 0755);
        try {
            String target = InRoot.procPath(targetFd);
            if (isUnified()) {
                RootfsSetup.mount("cgroup2", target, "cgroup2", flags, null, "mount cgroup2 on " + m.destination());
                return;
            }
            RootfsSetup.mount("tmpfs", target, "tmpfs", flags & ~MS_RDONLY, "mode=755",
                    "mount tmpfs on " + m.destination());
        } finally {
            InRoot.closeQuietly(targetFd);
        }
        for (Hierarchy h : hostHierarchies()) {
            String dest = m.destination() + "/" + h.name();
            int fd = InRoot.mkdirs(rootFd, dest, 0755);
            try {
                RootfsSetup.mount("cgroup", InRoot.procPath(fd), h.type(), flags, h.data(), "mount cgroup " + dest);
            } finally {
                InRoot.closeQuietly(fd);
            }
        }
        if ((flags & MS_RDONLY) != 0) {
            RootfsSetup.onMount(rootFd, m.destination(),
                    MS_BIND | MS_REMOUNT | (flags & MountFlags.LOCKED_FLAGS) | MS_RDONLY,
                    "remount " + m.destination() + " read-only");
        }
    }

    private static boolean isUnified() {
        long[] stat = new long[15];
        try {
            LibC.statfs(HOST_CGROUP_ROOT, stat);
        } catch (LastErrorException e) {
            throw SysException.of(e, "statfs " + HOST_CGROUP_ROOT);
        }
        return stat[0] == CGROUP2_SUPER_MAGIC;
    }

    /** The cgroup hierarchies mounted under the host's /sys/fs/cgroup, from /proc/self/mountinfo. */
    static List<Hierarchy> hostHierarchies() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Paths.get("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
        return parseHierarchies(lines);
    }

    static List<Hierarchy> parseHierarchies(List<String> mountinfo) {
        List<Hierarchy> result = new ArrayList<>();
        for (String line : mountinfo) {
            // "36 25 0:31 / /sys/fs/cgroup/cpu rw,relatime shared:12 - cgroup cgroup rw,cpu"
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            String mountPoint = left[4];
            String type = right[0];
            if (!(type.equals("cgroup") || type.equals("cgroup2"))
                    || !mountPoint.startsWith(HOST_CGROUP_ROOT + "/")) {
                continue;
            }
            String name = mountPoint.substring(HOST_CGROUP_ROOT.length() + 1);
            List<String> data = new ArrayList<>();
            for (String opt : right[2].split(",")) {
                if (!opt.equals("rw") && !opt.equals("ro")) {
                    data.add(opt);
                }
            }
            result.add(new Hierarchy(name, type, type.equals("cgroup2") || data.isEmpty() ? null : String.join(",", data)));
        }
        return result;
    }
}
