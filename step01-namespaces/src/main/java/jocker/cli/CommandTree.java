package jocker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The command tree of one run of a step's program. Picocli builds a
 * command's model (each option, by reflection on its annotations) when the
 * command joins the tree, some 10 ms a command in a cold JVM; so only the
 * verb this run names joins whole. When the run names none (--help, a
 * mistyped verb) every command joins as its name and description only:
 * enough for the help's list of commands and for picocli's error.
 */
public final class CommandTree {
    private CommandTree() {}

    static {
        // two things picocli looks up in every run that jocker never uses: Groovy closures as
        // commands (a class search of the whole classpath that fails), and converters for the
        // java.sql and java.time types (initialising those classes alone takes some 5 ms)
        System.setProperty("picocli.disable.closures", "true");
        System.setProperty("picocli.converters.excludes", "java\\.(sql|time)\\..*");
    }

    /** The tree for these arguments. */
    public static CommandLine of(Object rootCommand, String... args) {
        CommandLine root = root(rootCommand);
        String verb = verb(root.getCommandSpec(), args);
        List<Class<?>> commands = commands(rootCommand);
        for (Class<?> c : commands) {
            Command a = c.getAnnotation(Command.class);
            if (verb != null && (a.name().equals(verb) || List.of(a.aliases()).contains(verb))) {
                add(root, c);
                return root;
            }
        }
        for (Class<?> c : commands) {
            Command a = c.getAnnotation(Command.class);
            CommandSpec named = CommandSpec.create().name(a.name()).aliases(a.aliases());
            named.usageMessage().description(a.description()).hidden(a.hidden());
            root.addSubcommand(a.name(), new CommandLine(named));
        }
        return root;
    }

    /** The whole tree, every command's model built (what a class-data archive is trained on). */
    public static CommandLine full(Object rootCommand) {
        CommandLine root = root(rootCommand);
        for (Class<?> c : commands(rootCommand)) {
            add(root, c);
        }
        return root;
    }

    private static CommandLine root(Object rootCommand) {
        CommandLine root = new CommandLine(rootCommand);
        if (!root.getCommandSpec().mixins().containsKey("runtime")) {
            root.addMixin("runtime", new RuntimeOptions()); // every step is a runc-compatible runtime too
        }
        return root;
    }

    /** The step's commands, then the runtime verbs whose names the step does not use for its own. */
    private static List<Class<?>> commands(Object rootCommand) {
        List<Class<?>> out = new ArrayList<>(rootCommand instanceof StepParts step ? step.commands() : List.of());
        List<String> names = new ArrayList<>();
        for (Class<?> c : out) {
            names.add(StepParts.name(c));
        }
        for (Class<?> verb : RuntimeVerbs.VERBS) {
            if (!names.contains(StepParts.name(verb))) {
                out.add(verb);
            }
        }
        return out;
    }

    private static void add(CommandLine root, Class<?> command) {
        String name = StepParts.name(command);
        root.addSubcommand(name, command);
        CommandLine sub = root.getSubcommands().get(name);
        if (List.of("run", "spec", "exec").contains(name)) {
            sub.setStopAtPositional(true); // what follows the container's command is its own: run R sh -c 'ls -l'
        }
        if (name.equals("run") && root.getCommand() instanceof StepParts step) {
            int n = 0;
            for (RunPart part : step.runParts()) { // the step's run parts, as mixins: their flags join step 1's
                sub.addMixin("part" + n++, part);
            }
        }
    }

    /** The first word that is not a global option or its value: the verb (null if none). */
    static String verb(CommandSpec root, String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                return a;
            }
            if (a.equals("--")) {
                return i + 1 < args.length ? args[i + 1] : null;
            }
            OptionSpec o = root.findOption(a);
            if (o != null && !a.contains("=") && o.arity().max() > 0) {
                i++; // its value
            }
        }
        return null;
    }
}
