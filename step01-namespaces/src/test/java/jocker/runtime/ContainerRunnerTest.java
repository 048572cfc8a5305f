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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner used as a library, in this JVM: hooks, results and namespaces joined by path. */
@RootTest
class ContainerRunnerTest {
    @TempDir
    Path tmp;

    private Container container(String... command) {
        Path rootfs = TestRootfs.busybox();
        Spec spec = SpecBuilder.docker(rootfs.toString(), List.of(command)).hostname("t").build();
        return new Container(ContainerIds.random(), spec, rootfs);
    }

    private ContainerResult run(ContainerRunner runner, Container c) {
        return runner.run(c, Stdio.toFiles(tmp.resolve("out"), tmp.resolve("err")));
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
            r = run(new ContainerRunner(List.of(recorder)), container("sh", "-c", "echo x > " + "/tmp/" + marker.getFileName()));
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
        ContainerResult r = run(new ContainerRunner(List.of(f)), container("no-such-command"));
        assertEquals(new ContainerResult(127, "exec: \"no-such-command\": executable file not found in $PATH"), r);
        assertEquals(List.of("cleanup"), calls);
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
        ContainerResult r = run(new ContainerRunner(List.of(killer)), container("sleep", "60"));
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
                () -> new ContainerRunner(List.of(f)).run(new Container(ContainerIds.random(), spec, tmp)));
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
            assertEquals(ContainerResult.exited(0), run(new ContainerRunner(List.of()), c));
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
