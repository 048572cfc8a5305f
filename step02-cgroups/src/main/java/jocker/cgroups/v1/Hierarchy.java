package jocker.cgroups.v1;

import java.nio.file.Path;
import java.util.Set;

/**
 * A cgroup v1 hierarchy: a cgroup filesystem mounted with one or more
 * controllers ("cpu", "memory" ..., or "cpu,cpuacct" together).
 */
record Hierarchy(Path mountPoint, Set<String> controllers) {
    Path cgroup(String path) {
        return mountPoint.resolve(path);
    }
}
