package jocker.cli;

import jocker.process.Signals;
import jocker.runtime.Lifecycle;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

// tag::quick[]
/**
 * The verbs an engine calls for every container ({@code state},
 * {@code start}, {@code kill}, {@code delete}) and {@code list}, run
 * without picocli when their arguments have the plain shapes engines give:
 * <pre>
 *   [--root DIR] [--log FILE] [--log-format FORMAT] [--debug] VERB [FLAGS] OPERANDS
 * </pre>
 * Picocli builds its model of a command tree from annotations, by
 * reflection, in every run: some 50 ms of a cold JVM, half of what a whole
 * verb may take. Anything else (--help, a typo, a flag not listed here, a
 * missing ID) is left to picocli, which parses it in full and says what is
 * wrong; QuickVerbsTest checks that both read every plain shape alike.
 */
public final class QuickVerbs {
    private QuickVerbs() {}

    /** A verb's plain shape: its flags (alias to name), which of them take a value, how many operands. */
    private record Grammar(Map<String, String> flags, Set<String> valued, int fewest, int most) {}

    private static final Map<String, Grammar> VERBS = Map.of(
            "state", new Grammar(Map.of(), Set.of(), 1, 1),
            "start", new Grammar(Map.of(), Set.of(), 1, 1),
            "kill", new Grammar(Map.of("-a", "--all", "--all", "--all"), Set.of(), 1, 2),
            "delete", new Grammar(Map.of("-f", "--force", "--force", "--force"), Set.of(), 1, 1),
            "list", new Grammar(Map.of("-q", "--quiet", "--quiet", "--quiet", "-f", "--format", "--format", "--format"),
                    Set.of("--format"), 0, 0));

    // end::quick[]
    private static final Set<String> GLOBAL_VALUED = Set.of("--root", "--log", "--log-format");

    /** What a plain command line says: the global flags, the verb, its flags (by name: value, or "" if none), its operands. */
    record Parsed(RuntimeOptions globals, String verb, Map<String, String> flags, List<String> operands) {
        boolean has(String flag) {
            return flags.containsKey(flag);
        }
    }

    /** The command line's parts if it is a plain one, else null (picocli's turn). */
    static Parsed parse(String... args) {
        int verbAt = 0;
        while (verbAt < args.length && args[verbAt].startsWith("-")) {
            verbAt += GLOBAL_VALUED.contains(args[verbAt]) ? 2 : 1;
        }
        if (verbAt >= args.length || !VERBS.containsKey(args[verbAt])) {
            return null; // nothing made for a command line that is not a quick verb's: run's init is booting
        }
        RuntimeOptions globals = new RuntimeOptions();
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String[] flag = args[i].split("=", 2);
            if (flag[0].equals("--debug") && flag.length == 1) {
                globals.debug = true;
                continue;
            }
            String value = flag.length == 2 ? flag[1] : ++i < args.length ? args[i] : null;
            if (!GLOBAL_VALUED.contains(flag[0]) || !plainValue(value)) {
                return null;
            }
            switch (flag[0]) {
                case "--root" -> globals.root = Path.of(value);
                case "--log" -> globals.log = Path.of(value);
                default -> globals.logFormat = value;
            }
        }
        Grammar grammar = i < args.length ? VERBS.get(args[i]) : null;
        if (grammar == null) {
            return null;
        }
        String verb = args[i];
        Map<String, String> flags = new HashMap<>();
        List<String> operands = new ArrayList<>();
        for (i++; i < args.length; i++) {
            if (!args[i].startsWith("-")) {
                operands.add(args[i]);
                continue;
            }
            String[] flag = args[i].split("=", 2);
            String name = grammar.flags().get(flag[0]);
            if (name == null || flags.containsKey(name)) {
                return null;
            }
            if (grammar.valued().contains(name)) {
                String value = flag.length == 2 ? flag[1] : ++i < args.length ? args[i] : null;
                if (!plainValue(value)) {
                    return null;
                }
                flags.put(name, value);
            } else if (flag.length == 2) {
                return null;
            } else {
                flags.put(name, "");
            }
        }
        if (operands.size() < grammar.fewest() || operands.size() > grammar.most()) {
            return null;
        }
        return new Parsed(globals, verb, flags, operands);
    }

    /**
     * The verbs run here. No step may give one of these names a command of
     * its own (as step 3 gives {@code ps} docker's meaning): the quick path
     * would run the runtime's verb instead. Looking that up at run time would
     * read every command's annotation, the cost this class avoids; the last
     * step's tests check it for all steps.
     */
    public static Set<String> verbs() {
        return VERBS.keySet();
    }

    private static boolean plainValue(String value) {
        return value != null && !value.isEmpty() && !value.startsWith("-");
    }

    // tag::quick[]
    /** Runs a plain command line's verb and returns its exit code; null if the line is not a plain one. */
    static Integer run(Object rootCommand, PrintWriter out, PrintWriter err, String... args) {
        Parsed p = parse(args);
        if (p == null) {
            return null;
        }
        // the root's name, for a warning or an error: reading an annotation costs, so only then
        Supplier<String> program = () -> rootCommand.getClass().getAnnotation(Command.class).name();
        try {
            Lifecycle lifecycle = p.globals().lifecycle(rootCommand, program, err);
            List<String> operands = p.operands();
            switch (p.verb()) {
                case "state" -> StateCommand.print(lifecycle, out, operands.get(0));
                case "start" -> lifecycle.start(operands.get(0));
                case "kill" -> lifecycle.kill(operands.get(0), Signals.parse(operands.size() > 1 ? operands.get(1) : "TERM"),
                        p.has("--all"));
                case "delete" -> DeleteCommand.delete(lifecycle, operands.get(0), p.has("--force"));
                default -> ListCommand.print(lifecycle, out, p.flags().getOrDefault("--format", "table"), p.has("--quiet"));
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            out.flush();
            return Cli.failed(e, program.get(), err, p.globals());
        }
    }
}
// end::quick[]
