package jocker.cgroups.v1;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The v1 cpuset controller. */
final class Cpuset {
    private Cpuset() {}

    static void apply(Path dir, Resources.Cpu c) {
        inheritFromParent(dir);
        if (c == null) {
            return;
        }
        if (c.cpus() != null && !c.cpus().isBlank()) {
            CgroupFiles.write(dir, "cpuset.cpus", c.cpus());
        }
        if (c.mems() != null && !c.mems().isBlank()) {
            CgroupFiles.write(dir, "cpuset.mems", c.mems());
        }
    }

    // tag::v1-cpuset[]
    /**
     * A new v1 cpuset cgroup starts with no CPUs and no memory nodes, and a
     * process cannot join it (ENOSPC) until both are set: copy the parent's.
     * (v2 fixed this: an empty cpuset there means "the parent's".)
     */
    static void inheritFromParent(Path dir) {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            if (CgroupFiles.read(dir, file).isEmpty()) {
                CgroupFiles.write(dir, file, CgroupFiles.read(dir.getParent(), file));
            }
        }
    }
    // end::v1-cpuset[]
}
