package jocker.storage;

import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerStoreTest {
    @TempDir
    Path root;

    private static ContainerRecord record(String id, String name, boolean rm, long pid, long start) {
        return new ContainerRecord(id.repeat(64 / id.length()), name, "overlay", List.of("l1"), rm, pid, start, "now", null);
    }

    @Test
    void containersAreFoundByNameIdOrUniquePrefix() throws IOException {
        ContainerStore store = new ContainerStore(root);
        ContainerRecord a = store.create(record("ab", "web", false, 0, 0));
        store.create(record("ac", null, false, 0, 0));
        assertEquals(a, store.find("web"));
        assertEquals(a, store.find(a.id()));
        assertEquals(a, store.find("abab"));
        assertEquals("container a is ambiguous: 2 containers match", assertThrows(JockerException.class, () -> store.find("a")).getMessage());
        assertEquals("No such container: zz", assertThrows(JockerException.class, () -> store.find("zz")).getMessage());
    }

    @Test
    void namesAreDockersAndUnique() throws IOException {
        ContainerStore store = new ContainerStore(root);
        store.create(record("ab", "web", false, 0, 0));
        assertTrue(assertThrows(JockerException.class, () -> store.create(record("cd", "web", false, 0, 0))).getMessage()
                .startsWith("the container name \"/web\" is already in use by container abababababab"));
        assertThrows(JockerException.class, () -> store.create(record("cd", "w", false, 0, 0)));
        assertThrows(JockerException.class, () -> store.create(record("cd", "a b", false, 0, 0)));
        assertFalse(Files.exists(root.resolve("containers").resolve("cd".repeat(32))), "nothing written for a refused name");
    }

    @Test
    void recoveryTidiesWhatDeadRunsLeft() throws IOException {
        ContainerStore store = new ContainerStore(root);
        long me = Owner.self();
        ContainerRecord mine = store.create(record("11", "alive", true, me, Owner.startTime(me)));
        ContainerRecord deadRm = store.create(record("22", "gone-rm", true, me, Owner.startTime(me) + 1));
        ContainerRecord deadKept = store.create(record("33", "gone-kept", false, 999_999_999, 5));
        List<ContainerRecord> dead = store.recover();
        assertEquals(java.util.Set.of(deadRm.id(), deadKept.id()),
                dead.stream().map(ContainerRecord::id).collect(java.util.stream.Collectors.toSet()));
        assertTrue(store.isRunning(store.find("alive")));
        assertThrows(JockerException.class, () -> store.find("gone-rm"));
        assertEquals(0, store.find("gone-kept").ownerPid());
        assertEquals(mine, store.find(mine.id()));
        assertFalse(Files.exists(store.dir(deadRm)));
        assertTrue(Files.exists(store.dir(deadKept)));
    }

    @Test
    void savingLeavesNoTemporaryFile() throws IOException {
        ContainerStore store = new ContainerStore(root);
        ContainerRecord c = store.create(record("44", "saved", false, 0, 0));
        store.save(c.owned(1, 2));
        try (var files = Files.list(store.dir(c))) {
            assertEquals(List.of("container.json"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(1, store.find("saved").ownerPid());
    }
}
