package jocker.cgroups.v2;

import jocker.cgroups.Cgroup;
import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupException;
import jocker.cgroups.CgroupFiles;
import jocker.cgroups.CgroupStats;
import jocker.cgroups.Resources;
import jocker.runtime.ContainerIds;
import jocker.testing.RootTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The v2 driver on this host's own cgroup2 tree: /sys/fs/cgroup on a v2 host,
 * /sys/fs/cgroup/unified on a hybrid one (where it has no resource
 * controllers, but cgroups, processes, freeze and kill work all the same).
 */
@RootTest
class V2OnThisHostTest {

    static Path cgroup2Root() {
        for (Path candidate : List.of(CgroupDriver.CGROUP_ROOT, CgroupDriver.CGROUP_ROOT.resolve("unified"))) {
            long[] stat = new long[15];
            if (Files.isDirectory(candidate)) {
                try {
                    jocker.sys.LibC.statfs(candidate.toString(), stat);
                    if (stat[0] == CgroupDriver.CGROUP2_SUPER_MAGIC) {
                        return candidate;
                    }
                } catch (com.sun.jna.LastErrorException ignored) {
                    // not mounted
                }
            }
        }
        Assumptions.abort("this host mounts no cgroup2 filesystem");
        return null;
    }

    /** The cgroup's directory in the tree. */
    private static Path dirOf(Cgroup cgroup) {
        return ((V2Cgroup) cgroup).dir();
    }

    @Test
    void aProcessCanBePlacedFrozenThawedAndKilled() throws Exception {
        V2Driver driver = new V2Driver(cgroup2Root());
        Cgroup cgroup = driver.create(ContainerIds.random(), Resources.NONE);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            cgroup.add(sleeper.pid());
            assertEquals(List.of(sleeper.pid()), cgroup.pids());
            Path dir = dirOf(cgroup);
            assertTrue(driver.leftovers().contains(dir), "listed while it exists");
            assertEquals(1L, CgroupFiles.readKey(dir, "cgroup.events", "populated"));

            cgroup.freeze();
            assertEquals(1L, CgroupFiles.readKey(dir, "cgroup.events", "frozen"));
            cgroup.thaw();
            assertEquals(0L, CgroupFiles.readKey(dir, "cgroup.events", "frozen"));

            CgroupStats stats = cgroup.stats();
            assertTrue(stats.cpuNanos() >= 0, "cpu.stat exists in every v2 cgroup: " + stats);

            cgroup.killAll(); // cgroup.kill
            assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, sleeper.exitValue());
            assertEquals(0L, CgroupFiles.readKey(dir, "cgroup.events", "populated"));
        } finally {
            sleeper.destroyForcibly();
            cgroup.delete();
        }
        assertFalse(driver.leftovers().stream().anyMatch(p -> cgroup.path().endsWith(p.getFileName().toString())));
    }

    @Test
    void deletingACgroupWithAProcessInsideSaysWhichOne() throws Exception {
        V2Driver driver = new V2Driver(cgroup2Root());
        Cgroup cgroup = driver.create(ContainerIds.random(), Resources.NONE);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            cgroup.add(sleeper.pid());
            CgroupException e = assertThrows(CgroupException.class, cgroup::delete);
            assertTrue(e.getMessage().endsWith(": processes [" + sleeper.pid() + "] are still in it"), e.getMessage());
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor();
            cgroup.delete();
        }
    }

    /**
     * The device filter is an eBPF program, not a controller: it works on a
     * hybrid host's cgroup2 tree too. With docker's rules, a process inside
     * may use /dev/null's device and make any node, but not open /dev/kmsg's
     * (1:11) or a disk's (block 7:0, a loop device), which it may still create.
     */
    @Test
    void theDeviceFilterLetsThroughOnlyDockersDevices(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        V2Driver driver = new V2Driver(cgroup2Root());
        Resources docker = Resources.NONE.withDevices(jocker.cgroups.DeviceRules.effective(null));
        Cgroup cgroup = driver.create(ContainerIds.random(), docker);
        Path dir = dirOf(cgroup);
        try {
            String script = "echo $$ > " + dir.resolve("cgroup.procs") + "; cd " + tmp + "; "
                    + "mknod null c 1 3 && mknod kmsg c 1 11 && mknod disk b 7 0 && echo made; "
                    + "echo x > null && echo null-ok; true < kmsg; true < disk";
            String inside = run(script);
            assertTrue(inside.startsWith("made\nnull-ok\n"), inside);
            assertTrue(inside.contains("kmsg: Operation not permitted"), inside);
            assertTrue(inside.contains("disk: Operation not permitted"), inside);
            // outside the cgroup the same node opens: the filter refused, not the node
            assertEquals("opened\n", run("cd " + tmp + "; true < kmsg && echo opened"));
        } finally {
            cgroup.delete();
        }
    }

    private static String run(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes());
    }

    /** As on v1, the last rule that matches decides: a later deny of writing takes back part of an earlier allow. */
    @Test
    void theLastMatchingRuleDecides(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        V2Driver driver = new V2Driver(cgroup2Root());
        List<Resources.DeviceRule> rules = List.of(new Resources.DeviceRule(false, "a", null, null, "rwm"),
                Resources.DeviceRule.allow("c", 1L, null, "rwm"), new Resources.DeviceRule(false, "c", null, 5L, "w"));
        Cgroup cgroup = driver.create(ContainerIds.random(), Resources.NONE.withDevices(rules));
        Path dir = dirOf(cgroup);
        try {
            String inside = run("echo $$ > " + dir.resolve("cgroup.procs") + "; cd " + tmp + "; "
                    + "mknod zero c 1 5 && mknod null c 1 3 && : < zero && echo read-zero; echo x > null && echo wrote-null; "
                    + "echo x > zero");
            assertTrue(inside.startsWith("read-zero\nwrote-null\n"), inside);
            assertTrue(inside.contains("zero: Operation not permitted"), inside);
        } finally {
            cgroup.delete();
        }
    }

    /** Limits need v2's controllers; on a hybrid host they are all on v1, so this names what is missing. */
    @Test
    void v2LimitFilesAreWrittenWhereTheControllersExist() throws IOException {
        V2Driver driver = new V2Driver(cgroup2Root());
        for (String controller : V2Driver.CONTROLLERS) {
            Assumptions.assumeTrue(driver.available().contains(controller), "cgroup v2 controller " + controller
                    + " is not available on this host (" + driver.describe() + "): v2 limit files cannot be tested here");
        }
        Resources limits = new Resources(new Resources.Memory(32L << 20, 16L << 20, 64L << 20),
                new Resources.Cpu(1024L, 50_000L, 100_000L, "0", null), new Resources.Pids(20), null);
        Cgroup cgroup = driver.create(ContainerIds.random(), limits);
        try {
            Path dir = dirOf(cgroup);
            assertEquals("33554432", CgroupFiles.read(dir, "memory.max"));
            assertEquals("33554432", CgroupFiles.read(dir, "memory.swap.max"));
            assertEquals("16777216", CgroupFiles.read(dir, "memory.low"));
            assertEquals("50000 100000", CgroupFiles.read(dir, "cpu.max"));
            assertEquals("39", CgroupFiles.read(dir, "cpu.weight"));
            assertEquals("20", CgroupFiles.read(dir, "pids.max"));
            assertEquals("0", CgroupFiles.read(dir, "cpuset.cpus"));
        } finally {
            cgroup.delete();
        }
    }
}
