package jocker.runtime;

import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecException;
import jocker.spec.SpecFile;
import jocker.testing.HostState;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The namespaces a spec may choose beyond docker's set: a user namespace
 * (the init born in it by a clone, see Clone), a cgroup namespace that a
 * created container already has, and no mount namespace at all.
 */
@RootTest
class NamespaceChoicesTest {
    @TempDir
    Path tmp;

    private static final String MAPS = "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
            + " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 200000, \"size\": 65536}]";

    private Lifecycle lifecycle() {
        return new Lifecycle(new StateStore(tmp.resolve("state")), List.of());
    }

    private Stdio files() {
        return Stdio.toFiles(tmp.resolve("out"), tmp.resolve("err"));
    }

    private String out() throws IOException {
        return Files.readString(tmp.resolve("out"));
    }

    /** busybox running command, its spec's linux section edited: namespaces listed in addition, and more fields. */
    private Container container(String namespaces, String linuxFields, String... command) {
        Path rootfs = TestRootfs.busybox();
        Spec spec = SpecBuilder.docker(rootfs.toString(), List.of(command)).hostname("t").build();
        String json = SpecFile.toJson(spec);
        if (!namespaces.isEmpty()) {
            json = json.replace("\"namespaces\" : [", "\"namespaces\" : [" + namespaces + ",");
        }
        if (!linuxFields.isEmpty()) {
            json = json.replace("\"linux\" : {", "\"linux\" : { " + linuxFields + ",");
        }
        return new Container(ContainerIds.random(), SpecFile.parse(json), rootfs);
    }

    @Test
    void inAUserNamespaceRootIsAnOrdinaryUserOfTheHost() throws Exception {
        Lifecycle l = lifecycle();
        Container c = container("{\"type\": \"user\"}", MAPS,
                "sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; id -u; stat -c %u /bin/busybox; exec sleep 60");
        Lifecycle.Created created = l.create(c, files());
        try {
            int pid = l.state(c.id()).pid();
            // a created container: set up, as the namespace's root, and waiting
            String status = Files.readString(Path.of("/proc", Integer.toString(pid), "status"));
            assertTrue(status.contains("\nUid:\t100000\t100000\t100000\t100000\n"), status);
            assertTrue(status.contains("\nGid:\t200000\t200000\t200000\t200000\n"), status);
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")),
                    Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "user")));

            l.start(c.id());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (out().split("\n").length < 4) {
                assertTrue(System.nanoTime() < deadline, "no output: " + out());
                Thread.sleep(20);
            }
            // root inside; the host's root-owned files belong to nobody (the overflow id)
            assertEquals(List.of("0", "100000", "65536", "0", "200000", "65536", "0", "65534"),
                    List.of(out().trim().split("\\s+")));

            // exec joins the namespace: the same maps, root again
            Spec.Process base = c.spec().process();
            Spec.Process probe = new Spec.Process(false, base.user(), List.of("sh", "-c", "cat /proc/self/uid_map; id -u"),
                    base.env(), "/", base.capabilities(), base.rlimits(), false, null, null, null);
            Stdio execOut = Stdio.toFiles(tmp.resolve("exec-out"), tmp.resolve("exec-err"));
            assertEquals(0, l.exec(c.id(), probe, execOut, false).exit().join(),
                    () -> readQuietly(tmp.resolve("exec-err")));
            assertEquals(List.of("0", "100000", "65536", "0"),
                    List.of(Files.readString(tmp.resolve("exec-out")).trim().split("\\s+")));
        } finally {
            l.delete(c.id(), true);
        }
        assertEquals(128 + 9, created.exit().join());
    }

    @Test
    void userNamespaceSpecsThatCannotWorkAreRefused() {
        Lifecycle l = lifecycle();
        assertRefused(l, container("{\"type\": \"user\"}", "", "true"),
                "a user namespace needs linux.uidMappings and linux.gidMappings");
        assertRefused(l, container("", MAPS, "true"),
                "linux.uidMappings and gidMappings need a user namespace (linux.namespaces needs {\"type\": \"user\"})");
        assertRefused(l, container("{\"type\": \"user\"}",
                        MAPS.replace("\"containerID\": 0, \"hostID\": 100000", "\"containerID\": 1, \"hostID\": 100000"), "true"),
                "the user namespace's root: uid 0 is not in linux.uidMappings");
        assertRefused(l, container("{\"type\": \"user\", \"path\": \"/proc/1/ns/user\"}", MAPS, "true"),
                "joining the user namespace /proc/1/ns/user is not supported:"
                        + " jocker creates a new one from linux.uidMappings and gidMappings");
        assertEquals(List.of(), l.store().ids(), "nothing was claimed");
    }

    private static void assertRefused(Lifecycle l, Container c, String message) {
        SpecException e = assertThrows(SpecException.class, () -> l.create(c, Stdio.INHERIT));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aCreatedContainerHasItsCgroupNamespaceBeforeItStarts() throws Exception {
        Lifecycle l = lifecycle();
        Container c = container("", "", "sleep", "60"); // docker's set has a cgroup namespace
        l.create(c, files());
        try {
            // the init's first thread, the one /proc/PID/ns shows, is in it: made before the init's exec
            int pid = l.state(c.id()).pid();
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/cgroup")),
                    Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "cgroup")));
        } finally {
            l.delete(c.id(), true);
        }
    }

    @Test
    void withoutAMountNamespaceTheMountsAreTheHostsUntilDelete() throws Exception {
        Lifecycle l = lifecycle();
        Container c = container("", "", "sh", "-c", "ls /proc/self/ns >/dev/null && echo in $(pwd) && exec sleep 60");
        String json = SpecFile.toJson(c.spec()).replace("{\n      \"type\" : \"mount\"\n    },", "")
                .replaceAll("(?s)\"maskedPaths\" : \\[.*?\\]", "\"maskedPaths\" : [ ]")
                .replaceAll("(?s)\"readonlyPaths\" : \\[.*?\\]", "\"readonlyPaths\" : [ ]");
        assertFalse(json.contains("\"mount\""), json);
        Container shared = new Container(c.id(), SpecFile.parse(json), c.bundleDir());
        String rootfs = TestRootfs.busybox().toString();
        l.create(shared, files());
        try {
            int pid = l.state(c.id()).pid();
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")),
                    Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "mnt")));
            List<String> mounts = HostState.mountsMentioning(rootfs);
            assertTrue(mounts.stream().anyMatch(m -> m.contains(rootfs + "/proc ")), "its /proc is in the host's table: "
                    + mounts);
            l.start(c.id());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!out().contains("\n")) {
                assertTrue(System.nanoTime() < deadline, "no output: " + out());
                Thread.sleep(20);
            }
            assertEquals("in /\n", out(), "chrooted into the rootfs");
        } finally {
            l.delete(c.id(), true);
        }
        assertEquals(List.of(), HostState.mountsMentioning(rootfs), "delete removed its mounts");

        assertRefused(l, new Container(c.id(), SpecFile.parse(SpecFile.toJson(c.spec())
                        .replace("{\n      \"type\" : \"mount\"\n    },", "")), c.bundleDir()),
                "cannot apply linux.maskedPaths and readonlyPaths without a mount namespace of the container's own"
                        + " (linux.namespaces needs {\"type\": \"mount\"})");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
