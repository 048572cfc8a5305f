package jocker.cgroups.v2;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Limits;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The pids controller: the same file on v1 and v2. */
final class Pids {
    private Pids() {}

    static void apply(Path dir, Resources.Pids p) {
        if (p != null) {
            CgroupFiles.write(dir, "pids.max", Limits.pidsMax(p));
        }
    }
}
