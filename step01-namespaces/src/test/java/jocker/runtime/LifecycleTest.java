package jocker.runtime;

import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecFile;
import jocker.sys.LibC;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle used as a library, in this JVM: create, start, state, kill, delete; run's hooks and results. */
@RootTest
class LifecycleTest {
    @TempDir
    Path tmp;

    private Lifecycle lifecycle(List<Feature> features) {
        return new Lifecycle(new StateStore(tmp.resolve("state")), features);
    }

    private Stdio files() {
        return Stdio.toFiles(tmp.resolve("out"), tmp.resolve("err"));
    }

    private static void awaitStatus(Lifecycle l, String id, Status status) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (l.state(id).status() != status) {
            assertTrue(System.nanoTime() < deadline, "still " + l.state(id).status() + ", not " + status);
            Thread.sleep(10);
        }
    }

    @Test
    void createSetsUpAndWaitsThenStartRunsTheCommand() throws Exception {
        Lifecycle l = lifecycle(List.of());
        Container c = container("sh", "-c", "echo ran as $$");
        Lifecycle.Created created = l.create(c, files());
        State state = l.state(c.id());
        assertEquals(Status.CREATED, state.status());
        assertTrue(state.pid() > 0 && state.init().isAlive(), state.toString());
        assertTrue(Files.exists(l.store().dir(c.id()).resolve("exec.fifo")));
        Thread.sleep(200);
        assertEquals("", out(), "the command must not run before start");

        l.start(c.id());
        assertEquals(0, created.exit().join());
        assertEquals("ran as 1\n", out());
        awaitStatus(l, c.id(), Status.STOPPED);
        assertEquals(0, l.state(c.id()).toOci().get("pid"));
        l.delete(c.id(), false);
        assertFalse(Files.exists(l.store().dir(c.id())));
        assertThrows(ContainerException.class, () -> l.state(c.id()));
    }

    @Test
    void aRunningContainerIsDeletedOnlyByForceAndAStoppedOneCannotBeSignalled() throws Exception {
        Lifecycle l = lifecycle(List.of());
        Container c = container("sleep", "60");
        Lifecycle.Created created = l.create(c, files());
        l.kill(c.id(), 0, false); // a created container can be signalled (0 only checks that it is there)
        l.start(c.id());
        assertEquals(Status.RUNNING, l.state(c.id()).status());
        ContainerException refused = assertThrows(ContainerException.class, () -> l.delete(c.id(), false));
        assertTrue(refused.getMessage().contains("it is running"), refused.getMessage());
        l.kill(c.id(), 9, false);
        assertEquals(137, created.exit().join());
        awaitStatus(l, c.id(), Status.STOPPED);
        ContainerException notRunning = assertThrows(ContainerException.class, () -> l.kill(c.id(), 15, false));
        assertEquals("container " + c.id() + " is not running", notRunning.getMessage());
        l.delete(c.id(), false);
    }

    @Test
    void deleteForceKillsARunningContainerAndCleansUpItsFeatures() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Feature recorder = new Feature() {
            @Override
            public void cleanup(Container c) {
                calls.add("cleanup " + c.id());
            }
        };
        Lifecycle l = lifecycle(List.of(recorder));
        Container c = container("sleep", "60");
        Lifecycle.Created created = l.create(c, files());
        l.start(c.id());
        l.delete(c.id(), true);
        assertEquals(137, created.exit().join());
        assertEquals(List.of("cleanup " + c.id()), calls);
        assertEquals(List.of(), l.list());
    }

    @Test
    void aCreatedContainerIsDeletedOnlyByForceWhichKillsItsWaitingInit() throws Exception {
        Lifecycle l = lifecycle(List.of());
        Container c = container("true");
        Lifecycle.Created created = l.create(c, files());
        ContainerException refused = assertThrows(ContainerException.class, () -> l.delete(c.id(), false));
        assertEquals("cannot delete container " + c.id() + ": it is created (stop it first, or use --force)",
                refused.getMessage());
        l.delete(c.id(), true);
        assertEquals(137, created.exit().join());
        assertFalse(created.state().init().isAlive());
    }

    @Test
    void killAllReachesEveryProcessOfThePidNamespace() throws Exception {
        Lifecycle l = lifecycle(List.of());
        // the shell runs two sleeps and ignores TERM itself, as PID 1 does
        Container c = container("sh", "-c", "sleep 61 & sleep 62 & wait; wait; echo children gone");
        Lifecycle.Created created = l.create(c, files());
        l.start(c.id());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (l.processes(c.id()).size() < 3) {
            assertTrue(System.nanoTime() < deadline, "processes: " + l.processes(c.id()));
            Thread.sleep(10);
        }
        assertEquals(created.state().pid(), l.processes(c.id()).get(0).intValue());
        l.kill(c.id(), 15, true);
        assertEquals(0, created.exit().join());
        assertEquals("children gone\n", out());
        l.delete(c.id(), false);
    }

    @Test
    void twoCreatesOfOneIdCannotBothSucceed() throws Exception {
        Lifecycle l = lifecycle(List.of());
        Container c = container("sleep", "60");
        l.create(c, files());
        try {
            Container twin = new Container(c.id(), c.spec(), c.bundleDir());
            ContainerException e = assertThrows(ContainerException.class, () -> l.create(twin, files()));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals(Status.CREATED, l.state(c.id()).status(), "the first one is untouched");
        } finally {
            l.delete(c.id(), true);
        }
    }

    @Test
    void aCommandThatCannotBeFoundFailsCreateAndLeavesNothing() {
        Lifecycle l = lifecycle(List.of());
        ContainerException e = assertThrows(ContainerException.class,
                () -> l.create(container("no-such-command"), files()));
        assertEquals("exec: \"no-such-command\": executable file not found in $PATH", e.getMessage());
        assertEquals(List.of(), l.store().ids());
    }

    @Test
    void theOomScoreAdjustmentIsSetBeforeTheCommandRuns() throws Exception {
        Container c = container("cat", "/proc/self/oom_score_adj");
        String json = SpecFile.toJson(c.spec()).replace("\"process\" : {", "\"process\" : { \"oomScoreAdj\" : 500,");
        Container adjusted = new Container(c.id(), SpecFile.parse(json), c.bundleDir());
        assertEquals(ContainerResult.exited(0), run(lifecycle(List.of()), adjusted));
        assertEquals("500\n", out());
    }

    private Container withLinux(Container c, String linuxJson) {
        String json = SpecFile.toJson(c.spec()).replace("\"linux\" : {", "\"linux\" : { " + linuxJson + ",");
        return new Container(c.id(), SpecFile.parse(json), c.bundleDir());
    }

    @Test
    void theSpecsDeviceNodesAreMadeWithTheirModesAndOwners() throws Exception {
        Container c = withLinux(container("stat", "-c", "%A %u %g %t %T %n", "/dev/test1", "/dev/sub/fifo"),
                "\"devices\": [{\"path\": \"/dev/test1\", \"type\": \"c\", \"major\": 1, \"minor\": 3,"
                        + " \"fileMode\": 416, \"uid\": 1, \"gid\": 2},"
                        + " {\"path\": \"/dev/sub/fifo\", \"type\": \"p\"}]");
        assertEquals(ContainerResult.exited(0), run(lifecycle(List.of()), c));
        assertEquals("crw-r----- 1 2 1 3 /dev/test1\nprw-rw-rw- 0 0 0 0 /dev/sub/fifo\n", out());
    }

    @Test
    void theRootGetsThePropagationAsked() throws Exception {
        Container c = withLinux(container("sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo | grep -o 'shared:[0-9]*' | cut -d: -f1"),
                "\"rootfsPropagation\": \"rshared\"");
        assertEquals(ContainerResult.exited(0), run(lifecycle(List.of()), c));
        assertEquals("shared\n", out());
        Container bad = withLinux(container("true"), "\"rootfsPropagation\": \"sideways\"");
        jocker.spec.SpecException e = assertThrows(jocker.spec.SpecException.class, () -> run(lifecycle(List.of()), bad));
        assertEquals("linux.rootfsPropagation \"sideways\" is not shared, slave, private or unbindable", e.getMessage());
    }

    @Test
    void namespacedSysctlsAreSetInsideOnlyAndOthersRefused() throws Exception {
        String hostValue = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
        String asked = hostValue.equals("1") ? "0" : "1";
        Container c = withLinux(container("cat", "/proc/sys/net/ipv4/ip_forward"),
                "\"sysctl\": {\"net.ipv4.ip_forward\": \"" + asked + "\"}");
        assertEquals(ContainerResult.exited(0), run(lifecycle(List.of()), c));
        assertEquals(asked + "\n", out());
        assertEquals(hostValue, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip(), "the host's is unchanged");
        Container hostWide = withLinux(container("true"), "\"sysctl\": {\"kernel.pid_max\": \"4096\"}");
        jocker.spec.SpecException e = assertThrows(jocker.spec.SpecException.class,
                () -> run(lifecycle(List.of()), hostWide));
        assertEquals("linux.sysctl \"kernel.pid_max\" is not private to a namespace of the container"
                + " (it would change the host)", e.getMessage());
    }

    @Test
    void aMountNamespaceNamedByPathIsWhereTheRootIsBuilt() throws Exception {
        // a mount namespace to join: a test fixture, made with util-linux's unshare
        Process holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sleep", "60").start();
        try {
            Path ns = Path.of("/proc", Long.toString(holder.pid()), "ns", "mnt");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))) {
                assertTrue(System.nanoTime() < deadline, "unshare did not make its namespace");
                Thread.sleep(10);
            }
            Container c = container("sh", "-c", "echo in; cat /proc/self/mountinfo | wc -l");
            String json = SpecFile.toJson(c.spec()).replace("\"type\" : \"mount\"",
                    "\"type\" : \"mount\", \"path\" : \"" + ns + "\"");
            Container joined = new Container(c.id(), SpecFile.parse(json), c.bundleDir());
            assertEquals(ContainerResult.exited(0), run(lifecycle(List.of()), joined));
            assertTrue(out().startsWith("in\n"), out());
            assertEquals(List.of(), jocker.testing.HostState.mountsMentioning(TestRootfs.busybox().toString()),
                    "the host's mount table is untouched");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    private Container withHooks(Container c, String hooksJson) {
        String json = SpecFile.toJson(c.spec());
        json = json.substring(0, json.lastIndexOf('}')) + ", \"hooks\": " + hooksJson + "}";
        return new Container(c.id(), SpecFile.parse(json), c.bundleDir());
    }

    private String hook(String script) {
        // argv[0] is the hook's own: "hook-sh", not /bin/sh
        return "{\"path\": \"/bin/sh\", \"args\": [\"hook-sh\", \"-c\", \"" + script + "\"], \"timeout\": 10}";
    }

    @Test
    void hooksRunOnTheHostWithTheStateOnStdinAtEachPoint() throws Exception {
        Path log = tmp.resolve("hooks.log");
        String record = "echo $0 %s >> " + log + "; cat >> " + log + "; echo >> " + log;
        Lifecycle l = lifecycle(List.of());
        Container c = withHooks(container("sleep", "60"), "{"
                + "\"prestart\": [" + hook(String.format(record, "prestart")) + "],"
                + "\"poststart\": [" + hook(String.format(record, "poststart")) + "],"
                + "\"poststop\": [" + hook(String.format(record, "poststop")) + "]}");
        Lifecycle.Created created = l.create(c, files());
        List<String> lines = Files.readAllLines(log);
        assertEquals("hook-sh prestart", lines.get(0));
        assertTrue(lines.get(1).contains("\"status\":\"creating\"") && lines.get(1).contains("\"pid\":"
                + created.state().pid() + ","), lines.get(1));
        l.start(c.id());
        l.delete(c.id(), true);
        lines = Files.readAllLines(log);
        assertEquals(List.of("hook-sh prestart", "hook-sh poststart", "hook-sh poststop"),
                lines.stream().filter(x -> x.startsWith("hook-sh")).toList());
        assertTrue(lines.get(3).contains("\"status\":\"running\""), lines.get(3));
        assertTrue(lines.get(5).contains("\"status\":\"stopped\""), lines.get(5));
    }

    @Test
    void aFailingPrestartHookFailsCreateAndLeavesNothing() {
        Lifecycle l = lifecycle(List.of());
        Container c = withHooks(container("true"), "{\"prestart\": [" + hook("echo no network for you; exit 3") + "]}");
        ContainerException e = assertThrows(ContainerException.class, () -> l.create(c, files()));
        assertEquals("prestart hook /bin/sh failed (exit 3): no network for you", e.getMessage());
        assertEquals(List.of(), l.store().ids());
        Container inside = withHooks(container("true"), "{\"createContainer\": [" + hook("true") + "]}");
        assertThrows(jocker.spec.SpecException.class, () -> l.create(inside, files()));
    }

    @Test
    void aLivePidWithAnotherStartTimeIsNotTheInit() throws Exception {
        Lifecycle l = lifecycle(List.of());
        StateStore store = l.store();
        store.claim("recycled");
        Container c = container("true");
        store.saveSpec("recycled", c.spec());
        // this test's own JVM plays the process that got the init's pid after it exited
        InitProcess me = InitProcess.of((int) ProcessHandle.current().pid());
        store.save(new State("1.0.2", "recycled", Status.RUNNING, me.pid(), me.startTime() - 1,
                tmp.toString(), tmp.toString(), "2026-01-01T00:00:00Z", null));
        assertEquals(Status.STOPPED, l.state("recycled").status());
        assertThrows(ContainerException.class, () -> l.kill("recycled", 9, false)); // and this JVM lives on
        l.delete("recycled", false);
        assertEquals(List.of(), store.ids());
    }

    private Container container(String... command) {
        Path rootfs = TestRootfs.busybox();
        Spec spec = SpecBuilder.docker(rootfs.toString(), List.of(command)).hostname("t").build();
        return new Container(ContainerIds.random(), spec, rootfs);
    }

    private ContainerResult run(Lifecycle runner, Container c) {
        return runner.run(c, files());
    }

    private String out() throws IOException {
        return Files.readString(tmp.resolve("out"));
    }

    @Test
    void featuresSeeTheInitBeforeAnyContainerCodeRuns() throws IOException {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Path marker = TestRootfs.busybox().resolve("tmp/ran-" + ProcessHandle.current().pid());
        Feature recorder = new Feature() {
            @Override
            public void prepare(Container c) {
                calls.add("prepare");
            }

            @Override
            public void started(Container c, long pid) {
                // the command would create the marker: it has not run yet
                calls.add("started pid>0=" + (pid > 0) + " ran=" + Files.exists(marker));
            }

            @Override
            public void cleanup(Container c) {
                calls.add("cleanup ran=" + Files.exists(marker));
            }
        };
        ContainerResult r;
        try {
            r = run(lifecycle(List.of(recorder)), container("sh", "-c", "echo x > " + "/tmp/" + marker.getFileName()));
        } finally {
            Files.deleteIfExists(marker);
        }
        assertEquals(ContainerResult.exited(0), r);
        assertEquals(List.of("prepare", "started pid>0=true ran=false", "cleanup ran=true"), calls);
    }

    @Test
    void cleanupRunsWhenTheCommandCannotStart() {
        List<String> calls = new ArrayList<>();
        Feature f = new Feature() {
            @Override
            public void cleanup(Container c) {
                calls.add("cleanup");
            }
        };
        ContainerResult r = run(lifecycle(List.of(f)), container("no-such-command"));
        assertEquals(new ContainerResult(127, "exec: \"no-such-command\": executable file not found in $PATH"), r);
        assertEquals(List.of("cleanup"), calls);
    }

    @Test
    void aProcessKilledByASignalFromTheHostGives128PlusIt() throws Exception {
        // without a pid namespace of its own the command is an ordinary process, not a PID 1 that
        // ignores the signals it has no handler for: TERM and INT kill it as KILL does
        for (int[] signalAndCode : new int[][] {{15, 143}, {2, 130}, {9, 137}}) {
            Lifecycle l = lifecycle(List.of());
            Container c = container("sleep", "60");
            String json = SpecFile.toJson(c.spec()).replace("{\n      \"type\" : \"pid\"\n    },", "");
            assertFalse(json.contains("\"pid\""), json);
            Container plain = new Container(c.id(), SpecFile.parse(json), c.bundleDir());
            Lifecycle.Created created = l.create(plain, files());
            l.start(c.id());
            int pid = l.state(c.id()).pid();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).startsWith("sleep")) {
                assertTrue(System.nanoTime() < deadline, "sleep did not start");
                Thread.sleep(10);
            }
            LibC.kill(pid, signalAndCode[0]);
            assertEquals(signalAndCode[1], created.exit().join(), "signal " + signalAndCode[0]);
            l.delete(c.id(), false);
        }
    }

    @Test
    void sigkillFromTheHostGives137() {
        Feature killer = new Feature() {
            @Override
            public void started(Container c, long pid) {
                new Thread(() -> {
                    try {
                        Thread.sleep(1500);
                        LibC.kill((int) pid, 9);
                    } catch (InterruptedException ignored) {
                        // test ends anyway
                    }
                }).start();
            }
        };
        ContainerResult r = run(lifecycle(List.of(killer)), container("sleep", "60"));
        assertEquals(ContainerResult.exited(137), r);
    }

    @Test
    void aBadSpecIsRefusedBeforeAnythingStarts() {
        List<String> calls = new ArrayList<>();
        Feature f = new Feature() {
            @Override
            public void prepare(Container c) {
                calls.add("prepare");
            }
        };
        Spec spec = SpecBuilder.docker("/no/such/rootfs", List.of("true")).build();
        assertThrows(jocker.spec.SpecException.class,
                () -> lifecycle(List.of(f)).run(new Container(ContainerIds.random(), spec, tmp), files()));
        assertEquals(List.of(), calls);
    }

    @Test
    void aNetworkNamespaceCanBeJoinedByPath() throws Exception {
        String name = "jocker-test-" + ProcessHandle.current().pid();
        ip("netns", "add", name);
        try {
            ip("-n", name, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1");
            String json = SpecFile.toJson(container("ip", "-o", "link").spec())
                    .replace("\"type\" : \"network\"", "\"type\" : \"network\", \"path\" : \"/run/netns/" + name + "\"");
            Container c = new Container(ContainerIds.random(), SpecFile.parse(json), TestRootfs.busybox());
            assertEquals(ContainerResult.exited(0), run(lifecycle(List.of()), c));
            assertTrue(out().contains("probe0"), out());
        } finally {
            ip("netns", "del", name);
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertEquals(0, p.waitFor(), "ip " + String.join(" ", args));
    }
}
