package jocker.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs step04 (in a JVM of its own) with a data root of the test's. */
public final class Step04Cli {
    private Step04Cli() {}

    /** step04 COMMAND --root ROOT ARGS... */
    public static Cmd.Result step04(java.nio.file.Path root, String... args) throws IOException {
        return run("jocker.image.cli.Step04", root, args);
    }

    /** A later step's program (its main class), the same way: COMMAND --root ROOT ARGS... */
    public static Cmd.Result run(String mainClass, java.nio.file.Path root, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args[0], "--root", root.toString()));
        all.addAll(List.of(args).subList(1, args.length));
        return Cmd.start(mainClass, all.toArray(new String[0])).await(Duration.ofMinutes(3));
    }

    /** The result, which must be a success. */
    public static Cmd.Result ok(Cmd.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }
}
