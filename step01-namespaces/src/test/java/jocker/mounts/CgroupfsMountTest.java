package jocker.mounts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CgroupfsMountTest {

    @Test
    void hierarchiesAreReadFromMountinfo() {
        List<String> mountinfo = List.of(
                "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
                "25 22 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "26 25 0:23 / /sys/fs/cgroup/cpu rw,relatime shared:5 - cgroup cgroup rw,cpu",
                "27 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "28 25 0:25 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
                "29 25 0:26 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
                "30 22 0:27 / /mnt/cgroup/other rw,relatime - cgroup cgroup rw,pids",
                "garbage line");
        assertEquals(List.of(
                new CgroupfsMount.Hierarchy("cpu", "cgroup", "cpu"),
                new CgroupfsMount.Hierarchy("cpu,cpuacct", "cgroup", "cpu,cpuacct"),
                new CgroupfsMount.Hierarchy("systemd", "cgroup", "xattr,name=systemd"),
                new CgroupfsMount.Hierarchy("unified", "cgroup2", null)), CgroupfsMount.parseHierarchies(mountinfo));
    }
}
