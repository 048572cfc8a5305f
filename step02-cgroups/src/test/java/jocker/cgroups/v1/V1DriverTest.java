package jocker.cgroups.v1;

import jocker.cgroups.CgroupException;
import jocker.cgroups.Resources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class V1DriverTest {
    static final List<String> MOUNTINFO = List.of(
            "25 22 0:22 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755",
            "26 25 0:23 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
            "27 25 0:24 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
            "28 25 0:25 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd",
            "29 25 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate");

    @Test
    void controllersMountedTogetherShareOneHierarchy() {
        Map<String, Hierarchy> h = V1Driver.parseMountinfo(MOUNTINFO);
        assertEquals(Set.of("cpu", "cpuacct", "memory"), h.keySet());
        assertEquals(h.get("cpu"), h.get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), h.get("cpu").mountPoint());
        assertEquals(2, new V1Driver(h).hierarchies().size());
    }

    @Test
    void aLimitWhoseControllerIsMissingIsRefused() {
        V1Driver driver = new V1Driver(V1Driver.parseMountinfo(MOUNTINFO));
        CgroupException e = assertThrows(CgroupException.class,
                () -> driver.validate(new Resources(null, null, new Resources.Pids(5), null)));
        assertEquals("a pids limit needs the cgroup v1 pids controller, which this host does not mount", e.getMessage());
        assertEquals("cgroup v1 (cpu, cpuacct, memory)", driver.describe());
    }
}
