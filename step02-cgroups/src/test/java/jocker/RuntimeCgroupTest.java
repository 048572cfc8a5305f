package jocker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jocker.cgroups.Cgroup;
import jocker.cgroups.CgroupDriver;
import jocker.testing.Cmd;
import jocker.testing.NoCgroupLeftBehind;
import jocker.testing.RootTest;
import jocker.testing.TestBundle;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * step02 as an OCI runtime: the spec's linux.resources become a cgroup at
 * create, which pause freezes, ps and kill --all read, and delete removes,
 * each verb a program of its own.
 */
@RootTest
@ExtendWith(NoCgroupLeftBehind.class)
class RuntimeCgroupTest {
    private static final String MAIN = "jocker.cgroups.cli.Step02";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        TestBundle.deleteAll(MAIN, tmp.resolve("state"));
        TestRootfs.delete(tmp.resolve("bundle/rootfs"));
    }

    private Cmd.Result runtime(String... args) throws IOException {
        return TestBundle.runtime(MAIN, tmp.resolve("state"), args);
    }

    private String status(String id) throws IOException {
        return TestBundle.state(MAIN, tmp.resolve("state"), id).get("status").asText();
    }

    @Test
    void theSpecsResourcesBecomeACgroupThatPauseFreezesAndDeleteRemoves() throws Exception {
        Path bundle = TestBundle.make(tmp.resolve("bundle"), "sleep 61 & exec sleep 60",
                c -> c.replace("\"resources\": {", "\"resources\": {\"pids\": {\"limit\": 42},"));
        Cmd.Result created = runtime("create", "--bundle", bundle.toString(), "limited");
        assertEquals(0, created.exitCode(), created::toString);
        Cgroup cgroup = CgroupDriver.detect().open("limited");
        int pid = TestBundle.state(MAIN, tmp.resolve("state"), "limited").get("pid").asInt();
        assertTrue(cgroup.exists());
        assertEquals(List.of((long) pid), cgroup.pids(), "the waiting init is in the cgroup before its command runs");
        if (CgroupDriver.detect().describe().startsWith("cgroup v1")) {
            assertEquals("42", Files.readString(Path.of("/sys/fs/cgroup/pids/jocker/limited/pids.max")).strip());
        }

        assertEquals(0, runtime("start", "limited").exitCode());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cgroup.pids().size() < 2) {
            assertTrue(System.nanoTime() < deadline, "pids: " + cgroup.pids());
            Thread.sleep(20);
        }
        JsonNode ps = JSON.readTree(runtime("ps", "--format", "json", "limited").out());
        assertEquals(cgroup.pids().toString(), ps.toString().replace(",", ", "));

        Path newLimits = tmp.resolve("resources.json");
        Files.writeString(newLimits, "{\"pids\": {\"limit\": 64}}");
        Cmd.Result updated = runtime("update", "-r", newLimits.toString(), "limited");
        assertEquals(0, updated.exitCode(), updated::toString);
        if (CgroupDriver.detect().describe().startsWith("cgroup v1")) {
            assertEquals("64", Files.readString(Path.of("/sys/fs/cgroup/pids/jocker/limited/pids.max")).strip());
        }
        Files.writeString(newLimits, "{\"cpu\": {\"shares\": 1}}");
        Cmd.Result refused = runtime("update", "-r", newLimits.toString(), "limited");
        assertEquals(125, refused.exitCode(), refused::toString);
        assertEquals("step02: cpu shares 1 is out of range 2 to 262144\n", refused.err());

        assertEquals(0, runtime("pause", "limited").exitCode());
        assertEquals("paused", status("limited"));
        Cmd.Result again = runtime("pause", "limited");
        assertEquals("step02: cannot pause container limited: it is paused\n", again.err());
        assertEquals(0, runtime("resume", "limited").exitCode());
        assertEquals("running", status("limited"));

        assertEquals(0, runtime("kill", "--all", "limited", "KILL").exitCode());
        TestBundle.awaitStatus(MAIN, tmp.resolve("state"), "limited", "stopped");
        assertEquals(0, runtime("delete", "limited").exitCode());
        assertFalse(cgroup.exists(), "delete removes the cgroup");
    }

    @Test
    void featuresSayStep2AppliesCgroups() throws Exception {
        Cmd.Result r = runtime("features");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(JSON.readTree(r.out()).get("linux").get("cgroup").get("v1").asBoolean(), r.out());
    }

    @Test
    void deleteForceOfARunningContainerKillsItAndRemovesItsCgroup() throws Exception {
        Path bundle = TestBundle.make(tmp.resolve("bundle"), "exec sleep 60", c -> c);
        assertEquals(0, runtime("create", "--bundle", bundle.toString(), "doomed").exitCode());
        assertEquals(0, runtime("start", "doomed").exitCode());
        Cgroup cgroup = CgroupDriver.detect().open("doomed");
        assertTrue(cgroup.exists());
        Cmd.Result forced = runtime("delete", "--force", "doomed");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertFalse(cgroup.exists());
        assertEquals("", runtime("list", "-q").out());
    }
}
