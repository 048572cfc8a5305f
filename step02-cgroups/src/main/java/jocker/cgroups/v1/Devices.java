package jocker.cgroups.v1;

import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Resources;

import java.nio.file.Path;
import java.util.List;

/**
 * The v1 devices controller: which device nodes the cgroup's processes may
 * open or create. Without it, a container with CAP_MKNOD (docker's default
 * set has it) could make /dev/sda and read the host's disk.
 */
final class Devices {
    private Devices() {}

    // tag::v1-devices[]
    static void apply(Path dir, List<Resources.DeviceRule> rules) {
        for (Resources.DeviceRule rule : rules) {
            CgroupFiles.write(dir, rule.allow() ? "devices.allow" : "devices.deny", rule.v1Line());
        }
    }
    // end::v1-devices[]
}
