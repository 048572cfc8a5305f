package jocker.cgroups.v2;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The v2 memory controller. */
final class Memory {
    private Memory() {}

    // tag::v2-memory[]
    static void apply(Path dir, Resources.Memory m) {
        if (m == null) {
            return;
        }
        if (m.limit() != null && m.limit() > 0) {
            CgroupFiles.write(dir, "memory.max", Long.toString(m.limit()));
        }
        // v1 limits memory+swap together; v2 limits swap alone
        if (m.swap() != null && m.swap() != 0 && m.limit() != null && m.limit() > 0) {
            CgroupFiles.write(dir, "memory.swap.max", m.swap() < 0 ? "max" : Long.toString(m.swap() - m.limit()));
        }
        if (m.reservation() != null && m.reservation() > 0) {
            CgroupFiles.write(dir, "memory.low", Long.toString(m.reservation()));
        }
    }

    /** How many times the OOM killer killed a process of this cgroup (memory.events). */
    static long oomKills(Path dir) {
        Long kills = CgroupFiles.readKey(dir, "memory.events", "oom_kill");
        return kills == null ? 0 : kills;
    }
    // end::v2-memory[]

    /** memory.peak (Linux 5.19+), or null. */
    static Long peak(Path dir) {
        return CgroupFiles.readLongIfPresent(dir, "memory.peak");
    }
}
