package jocker;

import jocker.runtime.InitProcess;
import jocker.runtime.State;
import jocker.runtime.StateStore;
import jocker.runtime.Status;
import jocker.spec.Spec;
import jocker.testing.Cmd;
import jocker.testing.HostState;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing a container does, or the runtime does for it, stays on the host. */
@RootTest
class HostLeftoversTest {

    @Test
    void noMountAndNoProcessIsLeftAfterExit() throws Exception {
        String rootfs = TestRootfs.busybox().toString();
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--rootfs", rootfs, "--", "sh", "-c",
                "sleep 4321 & sleep 4322 & echo started");
        assertEquals("started\n", r.out(), r::toString);
        assertEquals(List.of(), HostState.mountsMentioning(rootfs));
        // when PID 1 exits, the kernel kills the rest of its PID namespace
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!HostState.processesMentioning("sleep 432").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), HostState.processesMentioning("sleep 432"));
        assertEquals(List.of(), HostState.processesMentioning("jocker.init.ContainerInit"));
    }

    @Test
    void aMountMadeInsideIsNotVisibleOutside(@TempDir Path tmp) throws Exception {
        Path rootfs = TestRootfs.copy(tmp);
        // CAP_SYS_ADMIN is not in docker's default set: this bundle adds it so the container can mount
        String config = jocker.spec.SpecFile.toJson(jocker.spec.SpecBuilder.docker("rootfs",
                List.of("sh", "-c", "mkdir -p /srv && mount -t tmpfs scratch /srv && touch /srv/inside && touch /tmp/mounted"
                        + " && while [ ! -e /tmp/checked ]; do sleep 0.05; done")).build())
                .replace("\"CAP_CHOWN\"", "\"CAP_SYS_ADMIN\", \"CAP_CHOWN\"");
        Files.writeString(tmp.resolve("config.json"), config);
        Cmd cmd = Cmd.start("jocker.cli.Main", "run", "--bundle", tmp.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(rootfs.resolve("tmp/mounted"))) {
            assertTrue(System.nanoTime() < deadline, "the container never mounted: " + cmd.outSoFar());
            Thread.sleep(20);
        }
        List<String> hostView = HostState.mountsMentioning(rootfs.toString());
        boolean onHostDisk = Files.exists(rootfs.resolve("srv/inside"));
        Files.writeString(rootfs.resolve("tmp/checked"), "");
        Cmd.Result r = cmd.await(Duration.ofSeconds(30));
        TestRootfs.delete(rootfs);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of(), hostView, "the container's mounts are not in the host's mount table");
        assertFalse(onHostDisk, "the file went to the container's tmpfs, not the rootfs directory");
    }

    @Test
    void theStateOfARunWhoseJvmWasKilledIsCollectedByTheNextRun(@TempDir Path state) throws Exception {
        String rootfs = TestRootfs.busybox().toString();
        Cmd killed = Cmd.start("jocker.cli.Main", "--root", state.toString(), "run", "--rootfs", rootfs, "--",
                "sh", "-c", "echo up; sleep 4323");
        killed.awaitOutput("up", Duration.ofSeconds(30));
        killed.signal("KILL");
        killed.await(Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!HostState.processesMentioning("sleep 4323").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        try (var left = Files.list(state)) {
            assertEquals(1, left.count(), "the killed run could not delete its state");
        }
        Cmd.Result next = Cmd.run("jocker.cli.Main", "--root", state.toString(), "run", "--rootfs", rootfs, "--", "true");
        assertEquals(0, next.exitCode(), next::toString);
        try (var left = Files.list(state)) {
            assertEquals(0, left.count(), "the next run collected it, and deleted its own");
        }
    }

    @Test
    void theStateOfARunKilledWhileItSetTheContainerUpIsCollectedToo(@TempDir Path state) throws Exception {
        // what a run killed before its init existed leaves: "creating", run by a JVM that is gone
        StateStore store = new StateStore(state);
        store.claim("killed-early");
        store.markRunBy("killed-early", new InitProcess(1, -1)); // pid 1, but not that start time: gone
        store.save(new State(Spec.OCI_VERSION, "killed-early", Status.CREATING, 0, 0, "/nonexistent", "/nonexistent",
                Instant.now().toString(), Map.of()));
        Cmd.Result next = Cmd.run("jocker.cli.Main", "--root", state.toString(), "run", "--rootfs",
                TestRootfs.busybox().toString(), "--", "true");
        assertEquals(0, next.exitCode(), next::toString);
        try (var left = Files.list(state)) {
            assertEquals(List.of(), left.toList(), "the next run collected it");
        }
    }
}
