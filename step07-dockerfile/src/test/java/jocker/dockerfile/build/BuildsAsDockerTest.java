package jocker.dockerfile.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jocker.image.Images;
import jocker.image.json.ImageConfig;
import jocker.layers.TreeCopy;
import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.Step04Cli;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static jocker.testing.Step04Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Builds whose results were recorded with docker's classic builder (see
 * src/test/resources/docker-recorded/README.md): step07 must make the same
 * config, the same files, the same output and the same history.
 */
@RootTest
class BuildsAsDockerTest {
    private static final String STEP07 = "jocker.dockerfile.cli.Step07";
    private static final Path RECORDED = Path.of("src/test/resources/docker-recorded");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts",
            "Volumes", "Labels", "StopSignal", "Healthcheck", "OnBuild");

    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void importTheBase() throws IOException {
        root = tmp.resolve("root");
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
        ok(step07("import", tar.toString(), "jk-busybox"));
    }

    @AfterEach
    void cleanup() throws IOException {
        ok(step07("cleanup"));
        TestRootfs.delete(root);
    }

    private Cmd.Result step07(String... args) throws IOException {
        return Step04Cli.run(STEP07, root, args);
    }

    @TestFactory
    Stream<DynamicTest> eachRecordedBuildComesOutAsDockersDid() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(RECORDED)) {
            cases = s.filter(p -> Files.isDirectory(p.resolve("ctx"))).sorted().toList();
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
    }

    private void check(Path recorded) throws IOException {
        String name = "jk-fixture-" + recorded.getFileName();
        if (Files.isDirectory(recorded.resolve("parent"))) {
            ok(step07("build", "-q", "-t", "jk-busybox-onbuild", copy(recorded.resolve("parent")).toString()));
        }
        ok(step07("build", "-t", name, copy(recorded.resolve("ctx")).toString()));

        JsonNode config = JSON.readTree(ok(step07("inspect", name)).out()).get(0).get("Config");
        ObjectNode ours = JSON.createObjectNode();
        for (String f : FIELDS) {
            JsonNode v = config.get(f);
            ours.set(f, v == null || v.isEmpty() && !v.isValueNode() ? NullNode.getInstance() : v);
        }
        assertEquals(JSON.readTree(recorded.resolve("config.json").toFile()), ours, "the config");

        assertEquals(Files.readString(recorded.resolve("run.txt")), ok(step07("run", "--rm", name)).out(), "the run");

        String paths = String.join(" ", Files.readAllLines(recorded.resolve("paths")));
        assertEquals(Files.readString(recorded.resolve("tree.txt")), ok(step07("run", "--rm", "--entrypoint", "/bin/sh",
                name, "-c", "for p in " + paths + "; do stat -c '%n %u:%g %a %F' $p; done")).out(), "the files");

        List<ImageConfig.History> history = Images.open(root).store().resolve(name).config().history();
        List<String> createdBy = new ArrayList<>();
        history.stream().skip(1).forEach(h -> createdBy.add(h.createdBy()));
        assertEquals(mask(Files.readString(recorded.resolve("history.txt"))), mask(String.join("\n", createdBy) + "\n"),
                "the history");
    }

    /** COPY's content hash is each builder's own (docker's tarsum, jocker's digest of the files). */
    private static String mask(String history) {
        return history.replaceAll("(dir|file):[0-9a-f]{64}", "$1:HASH");
    }

    private Path copy(Path dir) throws IOException {
        Path to = Files.createTempDirectory(tmp, "ctx");
        TreeCopy.copy(dir, to.resolve("c"), TreeCopy.Mode.PRESERVE);
        return to.resolve("c");
    }
}
