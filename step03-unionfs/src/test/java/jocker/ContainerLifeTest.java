package jocker;

import jocker.cgroups.CgroupDriver;
import jocker.testing.Cmd;
import jocker.testing.HostState;
import jocker.testing.RootTest;
import jocker.testing.SyscallProbe;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a kept container's life means: it runs exactly while its init lives
 * (not while the step03 that started it does), nothing deletes the storage
 * of a running container, and a name goes to exactly one container.
 */
@RootTest
class ContainerLifeTest {
    @TempDir
    Path tmp;
    Path root;
    String base;

    @BeforeEach
    void storeTheBusyboxLayer() throws IOException {
        root = tmp.resolve("root");
        base = UnionFsTest.storeBusybox(root);
    }

    @AfterEach
    void deleteTheStore() throws IOException {
        TestRootfs.delete(root);
    }

    private static Cmd.Result step03(String... args) throws IOException {
        return UnionFsTest.step03(args);
    }

    private String status(String name) throws IOException {
        return step03("ps", "--root", root.toString()).out().lines().filter(l -> l.contains(" " + name + " "))
                .map(l -> l.contains("running") ? "running" : l.contains("exited") ? "exited" : l)
                .findFirst().orElse("gone");
    }

    @Test
    void aContainerWhoseInitOutlivesItsStep03RunsOnAndKeepsItsStorage() throws Exception {
        Path probeLayer = Files.createDirectories(tmp.resolve("probe-layer"));
        SyscallProbe.buildInto(probeLayer);
        // prctl(PR_SET_PDEATHSIG, 0) = syscall 157 (1, 0): the init no longer dies with its parent
        Cmd cmd = Cmd.start("jocker.storage.cli.Step03", "run", "--root", root.toString(), "--layer", base, "--layer",
                probeLayer.toString(), "--name", "outlive", "--", "/probe", "157", "1", "0", "--", "/bin/sh", "-c",
                "echo up; exec sleep 101");
        cmd.awaitOutput("up", Duration.ofSeconds(30));
        cmd.signal("KILL");
        cmd.await(Duration.ofSeconds(30));
        Thread.sleep(200);
        List<String> init = HostState.processesMentioning("sleep 101");
        assertEquals(1, init.size(), "the init outlived step03: " + init);

        assertEquals("running", status("outlive"), "it runs while its init lives");
        Cmd.Result rm = step03("rm", "--root", root.toString(), "outlive");
        assertEquals(125, rm.exitCode(), rm::toString);
        assertEquals("step03: container outlive is running: stop it first\n", rm.err());
        try (var dirs = Files.list(root.resolve("containers"))) {
            assertEquals(1, dirs.filter(d -> Files.isDirectory(d.resolve("upper"))).count(),
                    "no later command deleted its writable layer");
        }

        long pid = Long.parseLong(init.get(0).substring(0, init.get(0).indexOf(':')));
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!status("outlive").equals("exited")) {
            assertTrue(System.nanoTime() < deadline, "still " + status("outlive"));
            Thread.sleep(50);
        }
        assertEquals(0, step03("rm", "--root", root.toString(), "outlive").exitCode());
        assertEquals(List.of(), CgroupDriver.detect().leftovers(), "its cgroup went with it");
        TestRootfs.delete(probeLayer);
    }

    @Test
    void twoRunsRacingForOneNameCannotBothHaveIt() throws Exception {
        for (int round = 0; round < 3; round++) {
            Cmd a = Cmd.start("jocker.storage.cli.Step03", "run", "--root", root.toString(), "--layer", base, "--name", "same",
                    "--", "true");
            Cmd b = Cmd.start("jocker.storage.cli.Step03", "run", "--root", root.toString(), "--layer", base, "--name", "same",
                    "--", "true");
            Cmd.Result ra = a.await(Duration.ofMinutes(1));
            Cmd.Result rb = b.await(Duration.ofMinutes(1));
            List<Integer> codes = List.of(ra.exitCode(), rb.exitCode());
            assertTrue(codes.contains(0) && codes.contains(125), ra + "\n" + rb);
            String loser = ra.exitCode() == 125 ? ra.err() : rb.err();
            assertTrue(loser.startsWith("step03: the container name \"/same\" is already in use by container "), loser);
            assertEquals(0, step03("rm", "--root", root.toString(), "same").exitCode());
        }
    }
}
