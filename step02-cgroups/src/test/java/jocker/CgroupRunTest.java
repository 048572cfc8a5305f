package jocker;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cgroups.CgroupStats;
import jocker.cgroups.Resources;
import jocker.runtime.Container;
import jocker.runtime.ContainerIds;
import jocker.runtime.ContainerResult;
import jocker.runtime.Feature;
import jocker.runtime.Stdio;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.testing.NoCgroupLeftBehind;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cgroup feature used as a library: accounting, freeze and thaw, kill-all. */
@RootTest
@ExtendWith(NoCgroupLeftBehind.class)
class CgroupRunTest {
    @TempDir
    Path tmp;

    private Container container(Path rootfs, Resources resources, String script) {
        Spec spec = SpecBuilder.docker(rootfs.toString(), List.of("sh", "-c", script)).build();
        return new Container(ContainerIds.random(), resources.into(spec), rootfs);
    }

    /** Runs in the background; the feature hands out the cgroup. */
    private CompletableFuture<ContainerResult> start(Container c, CgroupFeature cgroups, Feature... more) {
        List<Feature> features = new java.util.ArrayList<>(List.of(cgroups));
        features.addAll(List.of(more));
        return CompletableFuture.supplyAsync(() -> new jocker.runtime.Lifecycle(new jocker.runtime.StateStore(tmp.resolve("state")), features)
                .run(c, Stdio.toFiles(tmp.resolve("out"), tmp.resolve("err"))));
    }

    @Test
    void halfACpuIsHalfOfOneCpusTimeByTheCgroupsOwnAccounting() throws Exception {
        Resources half = new Resources(null, new Resources.Cpu(null, 50_000L, 100_000L, null, null), null, null);
        CgroupFeature cgroups = new CgroupFeature(CgroupDriver.detect());
        long[] startedAt = new long[1];
        Feature clock = new Feature() {
            @Override
            public void started(Container c, long pid) {
                startedAt[0] = System.nanoTime();
            }
        };
        ContainerResult r = start(container(TestRootfs.busybox(), half, "(while :; do :; done) & sleep 2"), cgroups, clock)
                .get(60, TimeUnit.SECONDS);
        double wallSeconds = (System.nanoTime() - startedAt[0]) / 1e9;
        CgroupStats stats = cgroups.stats();
        double share = stats.cpuNanos() / 1e9 / wallSeconds;
        assertEquals(0, r.exitCode());
        assertTrue(share > 0.40 && share < 0.60, String.format("used %.3f s of CPU in %.3f s: %.0f%%",
                stats.cpuNanos() / 1e9, wallSeconds, share * 100));
    }

    @Test
    void freezeStopsACounterAndThawLetsItGoOn() throws Exception {
        Path rootfs = TestRootfs.copy(tmp);
        try {
            CgroupFeature cgroups = new CgroupFeature(CgroupDriver.detect());
            CompletableFuture<ContainerResult> run = start(container(rootfs, Resources.NONE,
                    "i=0; while :; do i=$((i+1)); echo $i > /tmp/next; mv /tmp/next /tmp/count; done"), cgroups);
            Path count = rootfs.resolve("tmp/count");
            while (!Files.exists(count)) {
                Thread.sleep(10);
            }
            cgroups.cgroup().freeze();
            long frozen = read(count);
            Thread.sleep(300);
            assertEquals(frozen, read(count), "no progress while frozen");
            cgroups.cgroup().thaw();
            Thread.sleep(300);
            assertTrue(read(count) > frozen, "progress after thaw");
            cgroups.cgroup().killAll();
            ContainerResult r = run.get(30, TimeUnit.SECONDS);
            assertEquals(137, r.exitCode(), "killed with SIGKILL");
            assertFalse(cgroups.oomKilled());
        } finally {
            TestRootfs.delete(rootfs);
        }
    }

    @Test
    void killAllEndsEveryProcessEvenWhenThereAreMany() throws Exception {
        CgroupFeature cgroups = new CgroupFeature(CgroupDriver.detect());
        CompletableFuture<ContainerResult> run = start(container(TestRootfs.busybox(), Resources.NONE,
                "for i in 1 2 3 4 5 6 7 8; do sleep 60 & done; echo up; wait"), cgroups);
        while (!Files.exists(tmp.resolve("out")) || !Files.readString(tmp.resolve("out")).contains("up")) {
            Thread.sleep(10);
        }
        assertTrue(cgroups.cgroup().pids().size() >= 9, "sh and eight sleeps: " + cgroups.cgroup().pids());
        cgroups.cgroup().killAll();
        assertEquals(List.of(), cgroups.cgroup().pids());
        assertEquals(137, run.get(30, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void statsComeFromTheCgroup() throws Exception {
        CgroupFeature cgroups = new CgroupFeature(CgroupDriver.detect());
        ContainerResult r = start(container(TestRootfs.busybox(), Resources.NONE,
                "head -c 20m /dev/zero | tail | wc -c; sleep 1 & sleep 1 & wait"), cgroups).get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode());
        CgroupStats s = cgroups.stats();
        assertTrue(s.memoryPeakBytes() != null && s.memoryPeakBytes() > (20L << 20), "tail held 20 MiB: " + s);
        assertTrue(s.cpuNanos() > 0, s::toString);
        // pids.peak exists from Linux 6.1 on (this course's machines have it): where it does, it must be read
        boolean kernelHasPeak = Files.exists(Path.of("/sys/fs/cgroup/pids/jocker/pids.peak"))
                || Files.exists(Path.of("/sys/fs/cgroup/jocker/pids.peak"));
        if (kernelHasPeak) {
            assertTrue(s.pidsPeak() != null && s.pidsPeak() >= 3, "sh, and two sleeps at once: " + s);
        } else {
            assertEquals(null, s.pidsPeak(), s::toString);
        }
    }

    static long read(Path count) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String text = Files.readString(count).trim();
            if (!text.isEmpty()) {
                return Long.parseLong(text);
            }
            if (attempt > 100) {
                throw new IOException("empty counter file");
            }
        }
    }
}
