package jocker.cgroups.v2;

import jocker.cgroups.Cgroup;
import jocker.cgroups.CgroupException;
import jocker.cgroups.CgroupFiles;
import jocker.cgroups.CgroupStats;
import jocker.cgroups.Resources;
import jocker.process.Signals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A container's cgroup on v2: one directory, JOCKER/ID. */
final class V2Cgroup implements Cgroup {
    private final Path dir;
    private final String path;

    V2Cgroup(Path dir, String path) {
        this.dir = dir;
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }

    Path dir() {
        return dir;
    }

    // tag::v2-create[]
    void create(Resources r) {
        CgroupFiles.mkdir(dir);
        update(r);
        Devices.apply(dir, r.devices());
    }
    // end::v2-create[]

    /** The limits (cpuset, memory, cpu, pids): at create, and at runc update. */
    @Override
    public void update(Resources r) {
        Cpuset.apply(dir, r.cpu());
        Memory.apply(dir, r.memory());
        Cpu.apply(dir, r.cpu());
        Pids.apply(dir, r.pids());
    }

    @Override
    public void add(long pid) {
        CgroupFiles.write(dir, "cgroup.procs", Long.toString(pid));
    }

    @Override
    public void freeze() {
        CgroupFiles.write(dir, "cgroup.freeze", "1");
        awaitFrozen(1);
    }

    @Override
    public void thaw() {
        CgroupFiles.write(dir, "cgroup.freeze", "0");
    }

    /** cgroup.events says "frozen 1" once every task has stopped. */
    private void awaitFrozen(long wanted) {
        for (int i = 0; i < 1000; i++) {
            Long frozen = CgroupFiles.readKey(dir, "cgroup.events", "frozen");
            if (frozen != null && frozen == wanted) {
                return;
            }
            sleepBriefly(1);
        }
        throw new CgroupException("cgroup " + dir + " did not freeze");
    }

    // tag::v2-kill[]
    /** v2 (Linux 5.14+) kills a whole cgroup with one write, with no race against fork. */
    @Override
    public void killAll() {
        if (Files.exists(dir.resolve("cgroup.kill"))) {
            CgroupFiles.write(dir, "cgroup.kill", "1");
        } else {
            for (long pid : pids()) {
                Signals.kill(pid, Signals.SIGKILL);
            }
        }
        for (int i = 0; i < 1000 && !pids().isEmpty(); i++) {
            sleepBriefly(2);
        }
        if (!pids().isEmpty()) {
            throw new CgroupException("processes " + pids() + " of cgroup " + path + " survive SIGKILL");
        }
    }
    // end::v2-kill[]

    @Override
    public List<Long> pids() {
        return CgroupFiles.procs(dir);
    }

    @Override
    public CgroupStats stats() {
        Long usageMicros = CgroupFiles.readKey(dir, "cpu.stat", "usage_usec");
        return new CgroupStats(Memory.peak(dir), usageMicros == null ? 0 : usageMicros * 1000,
                CgroupFiles.readLongIfPresent(dir, "pids.peak"));
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public boolean oomKilled() {
        return Memory.oomKills(dir) > 0;
    }

    @Override
    public void delete() {
        if (Files.isDirectory(dir)) {
            CgroupFiles.rmdir(dir);
        }
    }

    private static void sleepBriefly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
