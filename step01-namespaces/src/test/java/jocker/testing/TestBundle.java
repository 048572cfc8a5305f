package jocker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * An OCI bundle for runtime tests: a private copy of the busybox rootfs and
 * the config.json `runc spec` writes (runc 1.1.5, kept in test resources),
 * with a script as its command, no terminal and a writable root.
 */
public final class TestBundle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBundle() {}

    /** The config.json `runc spec` wrote, as it is. */
    public static String runcSpec() throws IOException {
        try (InputStream in = TestBundle.class.getResourceAsStream("/runc-spec-config.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * An edit that drops runc's linux.resources section (a device rule), for
     * step 1, which has no cgroups and refuses what it cannot apply.
     */
    public static String withoutResources(String config) {
        return config.replaceAll("(?s)\\s*\"resources\": \\{.*?\\n\\t\\t\\},", "");
    }

    /** Makes dir a bundle that runs {@code sh -c script}; edit may change the config's text further. */
    public static Path make(Path dir, String script, UnaryOperator<String> edit) throws IOException {
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("rootfs"))) {
            TestRootfs.copy(dir);
        }
        String config = runcSpec().replace("\"terminal\": true", "\"terminal\": false")
                .replace("\"readonly\": true", "\"readonly\": false")
                .replace("\"sh\"\n", "\"sh\", \"-c\", " + JSON.writeValueAsString(script) + "\n");
        Files.writeString(dir.resolve("config.json"), edit.apply(config));
        return dir;
    }

    /** Runs a step's program as a runtime: {@code MAIN --root STATE ARGS...}. */
    public static Cmd.Result runtime(String mainClass, Path state, String... args) throws IOException {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = state.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cmd.run(mainClass, all);
    }

    /** The state JSON of a container, as `state ID` prints it. */
    public static JsonNode state(String mainClass, Path state, String id) throws IOException {
        Cmd.Result r = runtime(mainClass, state, "state", id);
        if (r.exitCode() != 0) {
            throw new AssertionError("state " + id + ": " + r);
        }
        return JSON.readTree(r.out());
    }

    /** Waits (10 s at most) until the container has this status. */
    public static void awaitStatus(String mainClass, Path state, String id, String status) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode now;
        while (!(now = state(mainClass, state, id)).get("status").asText().equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + id + " is still " + now + ", not " + status);
            }
            Thread.sleep(20);
        }
    }

    /** Deletes, by force, every container the state directory still has. */
    public static void deleteAll(String mainClass, Path state) throws IOException {
        for (String id : runtime(mainClass, state, "list", "-q").out().split("\n")) {
            if (!id.isBlank()) {
                runtime(mainClass, state, "delete", "--force", id);
            }
        }
    }
}
