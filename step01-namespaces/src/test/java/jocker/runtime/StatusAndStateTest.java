package jocker.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status table, the state file and the parts of /proc that say which process is which. */
class StatusAndStateTest {
    @TempDir
    Path tmp;

    @Test
    void eachStatusAllowsWhatRuncAllows() {
        assertTrue(Status.CREATED.canStart());
        for (Status s : List.of(Status.CREATING, Status.RUNNING, Status.PAUSED, Status.STOPPED)) {
            assertFalse(s.canStart(), s.toString());
        }
        assertEquals(List.of(Status.CREATED, Status.RUNNING, Status.PAUSED),
                List.of(Status.values()).stream().filter(Status::canKill).toList());
        assertEquals(List.of(Status.STOPPED),
                List.of(Status.values()).stream().filter(Status::canDelete).toList(), "the OCI spec's rule");
        assertEquals(List.of(Status.RUNNING), List.of(Status.values()).stream().filter(Status::canPause).toList());
        assertEquals(List.of(Status.PAUSED), List.of(Status.values()).stream().filter(Status::canResume).toList());
        assertEquals("created", Status.CREATED.ociName());
        assertEquals(Status.PAUSED, Status.fromOci("paused"));
    }

    @Test
    void theStateFileRoundTripsAndPrintsAsTheOciState() {
        StateStore store = new StateStore(tmp);
        store.claim("box");
        State s = new State("1.0.2", "box", Status.RUNNING, 42, 7, "/b", "/b/rootfs", "2026-11-30T00:00:00Z",
                Map.of("z", "1", "a", "2"));
        store.save(s);
        assertEquals(s, store.load("box"));
        assertEquals(List.of("box"), store.ids());
        Map<String, Object> oci = s.toOci();
        assertEquals(List.of("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner", "annotations"),
                List.copyOf(oci.keySet()));
        assertEquals("running", oci.get("status"));
        assertEquals(42, oci.get("pid"));
        assertEquals(0, s.withStatus(Status.STOPPED).toOci().get("pid"), "a stopped container has no process");
        store.remove("box");
        assertEquals(List.of(), store.ids());
        assertFalse(Files.exists(tmp.resolve("box")));
    }

    @Test
    void theStreamingCodecWritesWhatDataBindingWouldAndReadsItBack() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        State s = new State("1.0.2", "box", Status.PAUSED, 42, 7, "/b", null, "2026-11-30T00:00:00Z",
                Map.of("k", "v \"quoted\""));
        assertEquals(mapper.readTree(mapper.writeValueAsBytes(s)), mapper.readTree(StateJson.write(s)),
                "state.json as data binding writes it");
        assertEquals(s, StateJson.read(mapper.writeValueAsBytes(s)), "and a file data binding wrote reads back");
        State fromLater = StateJson.read("{\"id\":\"x\",\"status\":\"created\",\"later\":{\"a\":[1]}}".getBytes());
        assertEquals("x", fromLater.id());
        for (Object value : List.of(s.toOci(), List.of(s.toOci(), Map.of()))) {
            assertEquals(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(value), StateJson.pretty(value),
                    "state and list --format json print as data binding's indented output");
        }
        assertThrows(IOException.class, () -> StateJson.read("[]".getBytes()));
        assertThrows(IOException.class, () -> StateJson.read("{\"id\":\"x\"}".getBytes()), "no status");
        assertThrows(IOException.class, () -> StateJson.read("{\"id\":\"x\",\"status\":\"asleep\"}".getBytes()));
        assertThrows(IOException.class,
                () -> StateJson.read("{\"id\":\"x\",\"status\":\"created\",\"annotations\":{\"a\":{}}}".getBytes()));
    }

    @Test
    void aDamagedStateFileIsAnErrorNamingTheFile() throws Exception {
        StateStore store = new StateStore(tmp);
        store.claim("box");
        Path file = tmp.resolve("box").resolve(StateStore.STATE);
        Files.writeString(file, "{\"id\": ");
        ContainerException e = assertThrows(ContainerException.class, () -> store.load("box"));
        assertTrue(e.getMessage().startsWith("the state of container box is damaged: " + file + ": "), e.getMessage());
        Files.writeString(file, "{\"id\": \"box\", \"status\": \"asleep\"}");
        e = assertThrows(ContainerException.class, () -> store.load("box"));
        assertEquals("the state of container box is damaged: " + file + ": unknown status \"asleep\"", e.getMessage());
    }

    @Test
    void idsFollowRuncsRuleAndAreClaimedOnce() {
        StateStore store = new StateStore(tmp);
        for (String bad : new String[] {"", ".", "..", "a/b", "../x", "x y", "é"}) {
            ContainerException e = assertThrows(ContainerException.class, () -> store.claim(bad));
            assertEquals("invalid container id \"" + bad + "\": use letters, digits and _ + - .", e.getMessage());
        }
        store.claim("ok_1.2+3-x");
        ContainerException twice = assertThrows(ContainerException.class, () -> store.claim("ok_1.2+3-x"));
        assertEquals("container ok_1.2+3-x already exists (in " + tmp + ")", twice.getMessage());
        assertEquals("container nope does not exist", assertThrows(ContainerException.class,
                () -> store.load("nope")).getMessage());
    }

    @Test
    void procStatFieldsAreCountedFromTheLastParenthesis() {
        // a command name may hold spaces and parentheses
        String stat = "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 123456 1000 100";
        assertEquals(123456, InitProcess.startTime(stat));
        assertEquals(3, InitProcess.threads(stat));
    }

    @Test
    void thisProcessIsAliveAndAnotherStartTimeIsNot() {
        InitProcess me = InitProcess.of((int) ProcessHandle.current().pid());
        assertTrue(me.isAlive());
        assertFalse(new InitProcess(me.pid(), me.startTime() + 1).isAlive());
        assertFalse(new InitProcess(me.pid(), me.startTime() + 1).signal(0), "no signal to a look-alike");
    }
}
