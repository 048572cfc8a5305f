package jocker.cgroups.v1;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;

/** The v1 memory controller. */
final class Memory {
    private Memory() {}

    // tag::v1-memory[]
    static void apply(Path dir, Resources.Memory m) {
        if (m == null) {
            return;
        }
        // the hard limit first: memory+swap may never be below it
        if (m.limit() != null && m.limit() > 0) {
            CgroupFiles.write(dir, "memory.limit_in_bytes", Long.toString(m.limit()));
        }
        if (m.swap() != null && m.swap() != 0) {
            CgroupFiles.write(dir, "memory.memsw.limit_in_bytes", Long.toString(m.swap()));
        }
        if (m.reservation() != null && m.reservation() > 0) {
            CgroupFiles.write(dir, "memory.soft_limit_in_bytes", Long.toString(m.reservation()));
        }
    }

    /** How many times the OOM killer killed a process of this cgroup (memory.oom_control, Linux 4.13+). */
    static long oomKills(Path dir) {
        Long kills = CgroupFiles.readKey(dir, "memory.oom_control", "oom_kill");
        return kills == null ? 0 : kills;
    }
    // end::v1-memory[]
}
