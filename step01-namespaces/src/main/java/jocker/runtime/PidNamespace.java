package jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of a pid namespace, seen from the host: those whose
 * /proc/PID/ns/pid names the same namespace as the container's init.
 * (A cgroup knows its processes directly; this is how step 1, which has
 * none, finds them.)
 */
final class PidNamespace {
    private PidNamespace() {}

    static List<Long> members(int initPid) {
        String ns = namespaceOf(Path.of("/proc", Integer.toString(initPid)));
        List<Long> pids = new ArrayList<>();
        if (ns == null) {
            return pids;
        }
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && ns.equals(namespaceOf(dir))) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new ContainerException("cannot list /proc: " + e.getMessage(), e);
        }
        pids.sort(null);
        return pids;
    }

    /** "pid:[4026532...]", or null for a process that is gone. */
    private static String namespaceOf(Path procDir) {
        try {
            return Files.readSymbolicLink(procDir.resolve("ns/pid")).toString();
        } catch (IOException gone) {
            return null;
        }
    }
}
