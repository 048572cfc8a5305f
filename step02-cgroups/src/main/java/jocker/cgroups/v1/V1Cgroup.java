package jocker.cgroups.v1;

import jocker.cgroups.Cgroup;
import jocker.cgroups.CgroupException;
import jocker.cgroups.CgroupFiles;
import jocker.cgroups.CgroupStats;
import jocker.cgroups.Resources;
import jocker.process.Signals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A container's cgroup on v1: the directory JOCKER/ID in every hierarchy jocker uses. */
final class V1Cgroup implements Cgroup {
    private final V1Driver driver;
    private final String path;

    V1Cgroup(V1Driver driver, String path) {
        this.driver = driver;
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }

    /** The directory of this cgroup for a controller, or null when the host lacks it. */
    Path dir(String controller) {
        Hierarchy h = driver.hierarchy(controller);
        return h == null ? null : h.cgroup(path);
    }

    private List<Path> dirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Hierarchy h : driver.hierarchies()) {
            dirs.add(h.cgroup(path));
        }
        return new ArrayList<>(dirs);
    }

    // tag::v1-create[]
    void create(Resources r) {
        for (Hierarchy h : driver.hierarchies()) {
            driver.parents(h, path);
            CgroupFiles.mkdir(h.cgroup(path));
        }
        update(r); // the limits, before any process joins: an empty cpuset takes none
        if (driver.has("devices") && r.devices() != null) {
            Devices.apply(dir("devices"), r.devices());
        }
    }
    // end::v1-create[]

    /** The limits (cpuset, memory, cpu, pids), each in its controller's hierarchy: at create, and at runc update. */
    @Override
    public void update(Resources r) {
        if (driver.has("cpuset")) {
            Cpuset.apply(dir("cpuset"), r.cpu());
        }
        if (driver.has("memory")) {
            Memory.apply(dir("memory"), r.memory());
        }
        if (driver.has("cpu")) {
            Cpu.apply(dir("cpu"), r.cpu());
        }
        if (driver.has("pids")) {
            Pids.apply(dir("pids"), r.pids());
        }
    }

    @Override
    public void add(long pid) {
        // one hierarchy after the other: the process is in all of them before it runs on
        for (Path dir : dirs()) {
            CgroupFiles.write(dir, "cgroup.procs", Long.toString(pid));
        }
    }

    @Override
    public void freeze() {
        requireFreezer();
        Freezer.freeze(dir("freezer"));
    }

    @Override
    public void thaw() {
        requireFreezer();
        Freezer.thaw(dir("freezer"));
    }

    private void requireFreezer() {
        if (!driver.has("freezer")) {
            throw new CgroupException("pause needs the cgroup v1 freezer controller, which this host does not mount");
        }
    }

    // tag::v1-kill[]
    /**
     * v1 has no "kill everything" file: freeze the cgroup so nothing can fork
     * while the list is read, SIGKILL every process, thaw so the kills land,
     * and repeat until the cgroup is empty.
     */
    @Override
    public void killAll() {
        for (int round = 0; round < 100; round++) {
            List<Long> pids = pids();
            if (pids.isEmpty()) {
                return;
            }
            boolean canFreeze = driver.has("freezer");
            if (canFreeze) {
                Freezer.freeze(dir("freezer"));
            }
            for (long pid : CgroupFiles.procs(anyDir())) {
                Signals.kill(pid, Signals.SIGKILL);
            }
            if (canFreeze) {
                Freezer.thaw(dir("freezer"));
            }
            sleepBriefly();
        }
        throw new CgroupException("processes " + pids() + " of cgroup " + path + " survive SIGKILL");
    }
    // end::v1-kill[]

    private Path anyDir() {
        Path d = dir("pids");
        return d != null ? d : dirs().get(0);
    }

    @Override
    public List<Long> pids() {
        return CgroupFiles.procs(anyDir());
    }

    @Override
    public CgroupStats stats() {
        Long memoryPeak = driver.has("memory") ? CgroupFiles.readLongIfPresent(dir("memory"), "memory.max_usage_in_bytes") : null;
        Long cpu = driver.has("cpuacct") ? CgroupFiles.readLongIfPresent(dir("cpuacct"), "cpuacct.usage") : null;
        Long pidsPeak = driver.has("pids") ? CgroupFiles.readLongIfPresent(dir("pids"), "pids.peak") : null;
        return new CgroupStats(memoryPeak, cpu == null ? 0 : cpu, pidsPeak);
    }

    @Override
    public boolean exists() {
        return dirs().stream().anyMatch(Files::isDirectory);
    }

    @Override
    public boolean oomKilled() {
        return driver.has("memory") && Memory.oomKills(dir("memory")) > 0;
    }

    @Override
    public void delete() {
        for (Path dir : dirs()) {
            if (Files.isDirectory(dir)) {
                CgroupFiles.rmdir(dir);
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
