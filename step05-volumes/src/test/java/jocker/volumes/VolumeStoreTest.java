package jocker.volumes;

import jocker.sys.JockerException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's rules, without containers: names, options, in use, prune, what dead runs left. */
class VolumeStoreTest {
    @TempDir
    Path root;
    VolumeStore store;

    @BeforeEach
    void open() throws IOException {
        store = VolumeStore.open(root);
    }

    private String error(ThrowingRunnable r) {
        return assertThrows(JockerException.class, r::run).getMessage();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void createAndFind() throws IOException {
        VolumeStore.Volume v = store.create("data", "local", Map.of(), Map.of("team", "db"), false, null);
        assertEquals(root.resolve("volumes/data/_data").toString(), v.mountpoint());
        assertTrue(Files.isDirectory(store.data(v)));
        assertEquals(v, store.get("data"));
        assertEquals(v.createdAt(), store.create("data", "local", Map.of(), Map.of(), false, null).createdAt(),
                "creating an existing name gives it back, as docker does");
        VolumeStore.Volume anonymous = store.create(null, "local", Map.of(), Map.of(), true, null);
        assertTrue(anonymous.name().matches("[0-9a-f]{64}") && anonymous.anonymous());
        assertEquals(List.of("data", anonymous.name()).stream().sorted().toList(),
                store.list().stream().map(VolumeStore.Volume::name).toList());
    }

    @Test
    void badNamesOptionsAndDrivers() throws IOException {
        assertEquals("volume name is too short, names should be at least two alphanumeric characters",
                error(() -> store.create("x", "local", Map.of(), Map.of(), false, null)));
        assertTrue(error(() -> store.create("../etc", "local", Map.of(), Map.of(), false, null))
                .startsWith("\"../etc\" includes invalid characters for a local volume name"));
        assertEquals("invalid option: \"colour\"",
                error(() -> store.create("vv", "local", Map.of("colour", "red"), Map.of(), false, null)));
        assertEquals("missing required option: \"device\"",
                error(() -> store.create("vv", "local", Map.of("type", "tmpfs"), Map.of(), false, null)));
        assertEquals("missing required option: \"type\"",
                error(() -> store.create("vv", "local", Map.of("device", "tmpfs"), Map.of(), false, null)));
        assertEquals("error looking up volume plugin nfs: plugin \"nfs\" not found",
                error(() -> store.create("vv", "nfs", Map.of(), Map.of(), false, null)));
        assertEquals("No such volume: nope", error(() -> store.get("nope")));
        assertNull(store.find("../containers"), "a name never leads out of the store");
    }

    @Test
    void aVolumeAContainerRefersToIsInUse() throws Exception {
        store.create("data", "local", Map.of(), Map.of(), false, null);
        Path c = Files.createDirectories(root.resolve("containers/c1"));
        Files.writeString(c.resolve("container.json"), "{}");
        VolumeMounts.write(c, List.of(new VolumeMounts.Entry("volume", "data", "/x", "/data", true, "")));
        assertEquals("remove data: volume is in use - [c1]", error(() -> store.remove("data", false)));
        assertEquals(List.of(), store.prune(true), "prune leaves it too");
        Files.delete(c.resolve("container.json"));
        store.remove("data", false);
        assertNull(store.find("data"));
        store.remove("data", true); // -f: not there is fine
        assertEquals("No such volume: data", error(() -> store.remove("data", false)));
    }

    @Test
    void pruneTakesAnonymousOnesUnlessAll() throws IOException {
        store.create("named", "local", Map.of(), Map.of(), false, null);
        VolumeStore.Volume anon = store.create(null, "local", Map.of(), Map.of(), true, null);
        assertEquals(List.of(anon.name()), store.prune(false).stream().map(VolumeStore.Volume::name).toList());
        assertEquals(List.of("named"), store.prune(true).stream().map(VolumeStore.Volume::name).toList());
        assertEquals(List.of(), store.list());
    }

    @Test
    void theNextOpenCollectsWhatDeadRunsLeft() throws IOException {
        // an anonymous volume of a --rm container that is gone, and a volume half-made by a dead process
        VolumeStore.Volume orphan = store.create(null, "local", Map.of(), Map.of(), true, "c0ffee");
        Files.createDirectories(root.resolve("volumes/.new-half-999999999/_data"));
        VolumeStore.Volume kept = store.create(null, "local", Map.of(), Map.of(), true, null);
        Path cutShort = Files.createDirectories(root.resolve("volumes").resolve(kept.name()).resolve(".fill-999999999/etc"));
        store = VolumeStore.open(root);
        assertTrue(Files.notExists(cutShort.getParent()), "a copy from an image cut short is removed");
        assertEquals(List.of(kept.name()), store.list().stream().map(VolumeStore.Volume::name).toList());
        assertTrue(Files.notExists(root.resolve("volumes/.new-half-999999999")));
        assertNull(store.find(orphan.name()));
    }
}
