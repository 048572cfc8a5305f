package jocker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jocker.runtime.InitProcess;
import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestBundle;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * step01 as a runc-compatible runtime: each verb a separate program, as an
 * engine calls them, with the state directory (--root) the only thing they share.
 */
@RootTest
class RuntimeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path state;
    private Path bundle;

    private static final String MAIN = "jocker.cli.Main";

    @BeforeEach
    void paths() {
        state = tmp.resolve("state");
        bundle = tmp.resolve("bundle");
    }

    @AfterEach
    void removeContainersAndRootfs() throws IOException {
        TestBundle.deleteAll(MAIN, state);
        TestRootfs.delete(bundle.resolve("rootfs"));
    }

    private void config(String script) throws IOException {
        TestBundle.make(bundle, script, TestBundle::withoutResources); // step 1 has no cgroups
    }

    private Cmd.Result runtime(String... args) throws IOException {
        return TestBundle.runtime(MAIN, state, args);
    }

    private JsonNode state(String id) throws IOException {
        return TestBundle.state(MAIN, state, id);
    }

    private void awaitStatus(String id, String status) throws Exception {
        TestBundle.awaitStatus(MAIN, state, id, status);
    }

    @Test
    void aCreatedContainerOutlivesItsCreatorAndRunsOnlyOnStart() throws Exception {
        config("echo started > /started; exec sleep 60");
        Path marker = bundle.resolve("rootfs/started");
        Path pidFile = tmp.resolve("pid");
        Cmd.Result created = runtime("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), "box");
        assertEquals(0, created.exitCode(), created::toString);
        assertEquals("", created.out());

        JsonNode s = state("box");
        int pid = Integer.parseInt(Files.readString(pidFile));
        assertEquals("created", s.get("status").asText());
        assertEquals(pid, s.get("pid").asInt());
        assertEquals(bundle.toString(), s.get("bundle").asText());
        assertTrue(InitProcess.of(pid).isAlive(), "the init outlives the create command");
        Thread.sleep(200);
        assertFalse(Files.exists(marker), "the command must not run before start");

        assertEquals(0, runtime("start", "box").exitCode());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(marker)) {
            assertTrue(System.nanoTime() < deadline, "the command did not run after start");
            Thread.sleep(20);
        }
        assertEquals("running", state("box").get("status").asText());
        Cmd.Result again = runtime("start", "box");
        assertEquals(125, again.exitCode(), again::toString);
        assertEquals("step01: cannot start container box: it is running\n", again.err());

        Cmd.Result refused = runtime("delete", "box");
        assertEquals(125, refused.exitCode(), refused::toString);
        assertEquals(0, runtime("kill", "box", "KILL").exitCode());
        awaitStatus("box", "stopped");
        assertEquals(0, state("box").get("pid").asInt());
        assertEquals(0, runtime("delete", "box").exitCode());
        Cmd.Result gone = runtime("state", "box");
        assertEquals(125, gone.exitCode(), gone::toString);
        assertEquals("step01: container box does not exist\n", gone.err());
        assertFalse(Files.exists(state.resolve("box")));
    }

    @Test
    void listAndPsShowWhatRuns() throws Exception {
        config("sleep 61 & exec sleep 60");
        assertEquals(0, runtime("create", "--bundle", bundle.toString(), "lister").exitCode());
        assertTrue(runtime("list").out().matches("(?s)ID +PID +STATUS +BUNDLE +CREATED\nlister +\\d+ +created .*"),
                runtime("list").out());
        assertEquals(0, runtime("start", "lister").exitCode());
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode pids;
        while ((pids = JSON.readTree(runtime("ps", "--format", "json", "lister").out())).size() < 2) {
            assertTrue(System.nanoTime() < deadline, "ps: " + pids);
            Thread.sleep(20);
        }
        assertEquals(state("lister").get("pid").asInt(), pids.get(0).asInt());
        assertTrue(runtime("ps", "lister").out().contains("sleep 61"));
        Path limits = tmp.resolve("limits.json");
        Files.writeString(limits, "{\"pids\": {\"limit\": 10}}");
        Cmd.Result update = runtime("update", "-r", limits.toString(), "lister");
        assertEquals("step01: update needs cgroups, which this runtime has not: step 1 makes none (step 2 does)\n",
                update.err());
        Cmd.Result pause = runtime("pause", "lister");
        assertEquals(125, pause.exitCode(), pause::toString);
        assertEquals("step01: pause needs a cgroup freezer, which this runtime has not: step 1 makes no cgroups"
                + " (step 2 does)\n", pause.err());
        JsonNode list = JSON.readTree(runtime("list", "--format", "json").out());
        assertEquals("running", list.get(0).get("status").asText());
        assertEquals(0, runtime("kill", "--all", "lister", "9").exitCode());
        awaitStatus("lister", "stopped");
        assertEquals(0, runtime("delete", "lister").exitCode());
    }

    @Test
    void errorsGoToTheLogFileAsRuncWritesThem() throws IOException {
        Path log = tmp.resolve("log.json");
        Cmd.Result r = runtime("--log", log.toString(), "--log-format", "json", "start", "nosuch");
        // the global flags after --root, as containerd passes them before the verb
        assertEquals(125, r.exitCode(), r::toString);
        JsonNode line = JSON.readTree(Files.readString(log));
        assertEquals("error", line.get("level").asText());
        assertEquals("container nosuch does not exist", line.get("msg").asText());
        assertTrue(line.has("time"));
    }

    @Test
    void badInputIsOneLineAndNothingIsLeft() throws IOException {
        config("true");
        Cmd.Result badId = runtime("create", "--bundle", bundle.toString(), "../escape");
        assertEquals(125, badId.exitCode(), badId::toString);
        assertEquals("step01: invalid container id \"../escape\": use letters, digits and _ + - .\n", badId.err());
        Cmd.Result badSignal = runtime("kill", "x", "SIGNOPE");
        assertEquals("step01: invalid signal \"SIGNOPE\"\n", badSignal.err());
        Files.writeString(bundle.resolve("config.json"), TestBundle.withoutResources(TestBundle.runcSpec()));
        Cmd.Result tty = runtime("create", "--bundle", bundle.toString(), "tty");
        assertEquals(125, tty.exitCode(), tty::toString);
        assertEquals("step01: process.terminal needs --console-socket\n", tty.err());
        assertEquals(0, runtime("delete", "--force", "never-created").exitCode());
        Cmd.Result pause = runtime("pause", "never-created");
        assertEquals("step01: container never-created does not exist\n", pause.err());
        assertEquals("", runtime("list", "-q").out());
    }

    @Test
    void featuresSayWhatTheRuntimeSupports() throws IOException {
        Cmd.Result r = runtime("features");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode f = JSON.readTree(r.out());
        assertEquals("1.0.2", f.get("ociVersionMax").asText());
        assertTrue(f.get("linux").get("namespaces").toString().contains("\"pid\""));
        assertTrue(f.get("mountOptions").toString().contains("\"rbind\""));
        assertFalse(f.get("linux").get("cgroup").get("v1").asBoolean(), "step 1 has no cgroups");
        assertTrue(f.get("linux").get("seccomp").get("enabled").asBoolean());
    }
}
