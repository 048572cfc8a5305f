package jocker;

import jocker.testing.Cmd;
import jocker.testing.NoCgroupLeftBehind;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** step02's limits, on the real kernel, through the command line a user types. */
@RootTest
@ExtendWith(NoCgroupLeftBehind.class)
class LimitsTest {
    static Cmd.Result step02(String... argsAfterRootfs) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--rootfs", TestRootfs.busybox().toString()));
        args.addAll(List.of(argsAfterRootfs));
        return Cmd.start("jocker.cgroups.cli.Step02", args.toArray(new String[0])).await(Duration.ofMinutes(1));
    }

    @Test
    void aForkBombIsStoppedByThePidsLimitAndTheHostStaysResponsive() throws Exception {
        Cmd bomb = Cmd.start("jocker.cgroups.cli.Step02", "run", "--rootfs", TestRootfs.busybox().toString(),
                "--pids-limit", "20", "--stats", "--", "sh", "-c",
                "cat /sys/fs/cgroup/pids/pids.max; echo started; bomb() { bomb | bomb & }; bomb; sleep 3; echo survived");
        bomb.awaitOutput("started", Duration.ofSeconds(30));
        // while the bomb runs, the host starts processes as usual
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            assertEquals(0, new ProcessBuilder("true").start().waitFor());
        }
        long hostMillis = (System.nanoTime() - t0) / 1_000_000;
        Cmd.Result r = bomb.await(Duration.ofSeconds(60));
        assertTrue(r.out().startsWith("20\nstarted\n"), r::toString);
        assertTrue(r.err().contains("can't fork"), "forks failed inside: " + r);
        assertTrue(hostMillis < 2000, "ten processes on the host took " + hostMillis + " ms");
        Matcher peak = Pattern.compile("pids peak (\\d+)").matcher(r.err());
        assertTrue(peak.find() && Integer.parseInt(peak.group(1)) <= 20, r::toString);
    }

    @Test
    void aMemoryHogIsOomKilledAndReported() throws IOException {
        Cmd.Result r = step02("-m", "32m", "--", "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; head -c 100m /dev/zero | tail");
        assertEquals(137, r.exitCode(), r::toString);
        assertEquals("33554432\n", r.out());
        assertTrue(r.err().contains("step02: OOMKilled: the kernel's OOM killer ended the container (memory limit 32 MiB)"),
                r::toString);
    }

    @Test
    void noOomIsReportedWhenThereWasNone() throws IOException {
        Cmd.Result r = step02("-m", "32m", "--", "sh", "-c", "exit 137");
        assertEquals(137, r.exitCode());
        assertEquals("", r.err(), "an exit code of 137 is not an OOM kill");
    }

    @Test
    void theSmallestMemoryDockerAllowsStillRuns() throws IOException {
        Cmd.Result r = step02("-m", "6m", "--", "echo", "fits");
        assertEquals("fits\n", r.out(), r::toString);
    }

    @Test
    void cpusetCpusIsWhatTheProcessSees() throws IOException {
        Cmd.Result r = step02("--cpuset-cpus", "0", "--", "grep", "Cpus_allowed_list", "/proc/self/status");
        assertEquals("Cpus_allowed_list:\t0\n", r.out(), r::toString);
    }

    @Test
    void limitsAreVisibleInTheContainersOwnCgroupFiles() throws IOException {
        Cmd.Result r = step02("--cpus", "0.5", "-c", "512", "--memory-reservation", "16m", "-m", "64m", "--", "sh", "-c",
                "cd /sys/fs/cgroup; cat cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares"
                        + " memory/memory.soft_limit_in_bytes memory/memory.memsw.limit_in_bytes");
        assertEquals("50000\n100000\n512\n16777216\n134217728\n", r.out(), r::toString);
    }

    @Test
    void deviceNodesCanBeMadeButOnlyTheDefaultOnesOpened() throws IOException {
        Cmd.Result r = step02("--", "sh", "-c",
                "mknod /tmp/mem c 1 1 && head -c 1 /tmp/mem; echo x > /dev/null && echo null works; rm /tmp/mem");
        assertTrue(r.err().contains("head: /tmp/mem: Operation not permitted"), r::toString);
        assertTrue(r.out().contains("null works"), r::toString);
    }

    @Test
    void limitsTheHostCannotHonourFailBeforeAnythingStarts() throws IOException {
        Cmd.Result r = step02("--cpuset-cpus", "0-4095", "--", "true");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().startsWith("step02: Requested CPUs are not available - requested 0-4095, available: "), r::toString);
        assertEquals(1, r.err().lines().count());
        assertEquals(125, step02("-m", "1m", "--", "true").exitCode());
        assertEquals(125, step02("--memory-swap", "1g", "--", "true").exitCode());
    }
}
