package jocker.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jocker.runtime.Feature;
import jocker.runtime.Lifecycle;
import jocker.runtime.StateStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * runc's global flags, which every step's program takes before the verb,
 * because the engines pass them there: containerd's shim runs
 * {@code RUNTIME --root DIR --log FILE --log-format json create ...}.
 */
public class RuntimeOptions {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Where the runtime keeps container state (default: /run/jocker/runtime).")
    Path root = StateStore.DEFAULT_ROOT;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write errors to FILE (the engines read them there).")
    Path log;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json (default: text).")
    String logFormat = "text";

    @Option(names = "--systemd-cgroup", description = "Drive cgroups through systemd (not supported: jocker writes cgroupfs itself).")
    boolean systemdCgroup;

    @Option(names = "--debug", description = "Accepted for runc compatibility.")
    boolean debug;

    // picocli's mixinStandardHelpOptions gives the same two, through a second command model built
    // from annotations at every start: declared here, they cost a short verb nothing
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    /** The root command's runtime options (defaults when the command has none, as in some tests). */
    static RuntimeOptions of(CommandSpec command) {
        CommandSpec mixin = command.root().mixins().get("runtime");
        return mixin == null ? new RuntimeOptions() : (RuntimeOptions) mixin.userObject();
    }

    /** The lifecycle with this state root and the step's parts (what the root command adds to every container). */
    Lifecycle lifecycle(CommandSpec command) {
        return lifecycle(command.root().userObject(), command.root()::name, command.commandLine().getErr());
    }

    /** The same, for a root command and a program name (asked only for a warning) without picocli's model. */
    Lifecycle lifecycle(Object rootCommand, Supplier<String> program, PrintWriter err) {
        if (systemdCgroup) {
            throw new IllegalArgumentException("--systemd-cgroup: jocker manages cgroups through cgroupfs itself, "
                    + "not through systemd (configure the engine's runtime without systemd cgroups)");
        }
        return lifecycle(program, err, () -> rootCommand instanceof StepParts parts ? parts.runtimeFeatures() : List.of());
    }

    /** The lifecycle with this state root and these features; warnings go to stderr. */
    Lifecycle lifecycle(CommandSpec command, List<Feature> features) {
        return lifecycle(command.root()::name, command.commandLine().getErr(), () -> features);
    }

    private Lifecycle lifecycle(Supplier<String> program, PrintWriter err, Supplier<List<Feature>> features) {
        return new Lifecycle(new StateStore(root), features).warnings(w -> {
            err.println(program.get() + ": warning: " + w);
            err.flush();
        });
    }

    // tag::log[]
    /** An error, as runc writes it to --log: one line, JSON if asked (containerd shows its msg). */
    void logError(String message) {
        if (log == null) {
            return;
        }
        String line;
        if ("json".equals(logFormat)) {
            line = "{\"level\":\"error\",\"msg\":" + jsonString(message) + ",\"time\":\"" + Instant.now() + "\"}";
        } else {
            line = "time=\"" + Instant.now() + "\" level=error msg=" + jsonString(message);
        }
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the error itself still goes to stderr
        }
    }
    // end::log[]

    /** s as a JSON string, quoted and escaped (by jackson-core: no mapper for an error line). */
    private static String jsonString(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
