package jocker.cgroups.v1;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Limits;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The pids controller: at most N tasks; fork and clone fail with EAGAIN past it. */
final class Pids {
    private Pids() {}

    static void apply(Path dir, Resources.Pids p) {
        if (p != null) {
            CgroupFiles.write(dir, "pids.max", Limits.pidsMax(p));
        }
    }
}
