package jocker.cgroups.v2;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The v2 cpu controller: cpu.weight and cpu.max. */
final class Cpu {
    private Cpu() {}

    static void apply(Path dir, Resources.Cpu c) {
        if (c == null) {
            return;
        }
        if (c.shares() != null) {
            CgroupFiles.write(dir, "cpu.weight", Long.toString(weight(c.shares())));
        }
        if (c.quota() != null && c.quota() > 0) {
            long period = c.period() == null ? 100_000 : c.period();
            CgroupFiles.write(dir, "cpu.max", c.quota() + " " + period);
        }
    }

    // tag::v2-weight[]
    /**
     * v1's cpu.shares (2 to 262144, default 1024) as v2's cpu.weight (1 to
     * 10000, default 100), the way runc converts it: a linear map of one
     * range onto the other. (1024 becomes 39, not 100: the ranges' defaults
     * do not line up, a known wart kept for compatibility with runc.)
     */
    static long weight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }
    // end::v2-weight[]
}
