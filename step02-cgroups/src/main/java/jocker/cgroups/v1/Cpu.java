package jocker.cgroups.v1;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The v1 cpu controller: shares and the CFS bandwidth quota. */
final class Cpu {
    private Cpu() {}

    static void apply(Path dir, Resources.Cpu c) {
        if (c == null) {
            return;
        }
        if (c.shares() != null) {
            CgroupFiles.write(dir, "cpu.shares", Long.toString(c.shares()));
        }
        if (c.quota() != null && c.quota() > 0) {
            // period first: the kernel checks quota against the period in force
            CgroupFiles.write(dir, "cpu.cfs_period_us", Long.toString(c.period() == null ? 100_000 : c.period()));
            CgroupFiles.write(dir, "cpu.cfs_quota_us", Long.toString(c.quota()));
        }
    }
}
