package jocker.cgroups;

import jocker.doctor.Check;

import java.nio.file.Path;
import java.util.List;

/** Step 2's host checks: which cgroup driver, and what earlier containers left. */
public final class CgroupChecks {
    private CgroupChecks() {}

    public static List<Check> all() {
        return List.of(CgroupChecks::driver, CgroupChecks::leftovers);
    }

    static Check.Result driver() {
        try {
            return Check.Result.ok("cgroup driver", CgroupDriver.detect().describe());
        } catch (CgroupException e) {
            return Check.Result.fail("cgroup driver", e.getMessage(), "mount the cgroup filesystems (cgroupfs-mount)");
        }
    }

    static Check.Result leftovers() {
        List<Path> left;
        try {
            left = CgroupDriver.detect().leftovers();
        } catch (CgroupException e) {
            return Check.Result.warn("cgroup leftovers", e.getMessage(), null);
        }
        if (left.isEmpty()) {
            return Check.Result.ok("cgroup leftovers", "none");
        }
        // one entry per container, whatever the number of hierarchies (v1) its cgroup spans
        java.util.Map<String, java.util.Set<Long>> byContainer = new java.util.TreeMap<>();
        for (Path dir : left) {
            byContainer.computeIfAbsent(dir.getFileName().toString(), k -> new java.util.TreeSet<>())
                    .addAll(CgroupFiles.procs(dir));
        }
        StringBuilder detail = new StringBuilder(byContainer.size() + " container cgroup(s) left:");
        byContainer.forEach((id, pids) -> detail.append(' ').append(id, 0, Math.min(12, id.length()))
                .append(pids.isEmpty() ? " (empty)" : " (processes " + pids + ")"));
        return Check.Result.warn("cgroup leftovers", detail.toString(), "bin/step02 cleanup removes the empty ones");
    }
}
