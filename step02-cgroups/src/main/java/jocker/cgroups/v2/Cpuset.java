package jocker.cgroups.v2;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The v2 cpuset controller; an empty cpuset.cpus means "the parent's" here. */
final class Cpuset {
    private Cpuset() {}

    static void apply(Path dir, Resources.Cpu c) {
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
}
