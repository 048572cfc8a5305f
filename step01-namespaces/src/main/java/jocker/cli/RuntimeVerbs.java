package jocker.cli;

import picocli.CommandLine;

import java.util.List;

/**
 * Makes every step's program a runc-compatible runtime: adds runc's global
 * flags and its verbs to the step's command tree. A verb whose name the step
 * already uses for something else keeps the step's meaning (step 3's
 * {@code ps} lists its containers as docker does).
 */
final class RuntimeVerbs {
    private RuntimeVerbs() {}

    private static final List<Class<?>> VERBS = List.of(CreateCommand.class, StartCommand.class,
            StateCommand.class, KillCommand.class, DeleteCommand.class, ListCommand.class, PsCommand.class,
            PauseCommand.Pause.class, PauseCommand.Resume.class, ExecCommand.class, UpdateCommand.class,
            FeaturesCommand.class);

    /** The step's run parts, as mixins of its run command: their flags join step 1's. */
    static void addRunParts(CommandLine root) {
        CommandLine run = root.getSubcommands().get("run");
        if (run == null || !(root.getCommand() instanceof StepParts step)) {
            return;
        }
        int n = 0;
        for (RunPart part : step.runParts()) {
            run.addMixin("part" + n++, part);
        }
    }

    static void addTo(CommandLine root) {
        if (!root.getCommandSpec().mixins().containsKey("runtime")) {
            root.addMixin("runtime", new RuntimeOptions());
        }
        for (Class<?> verb : VERBS) {
            String name = verb.getAnnotation(CommandLine.Command.class).name();
            if (!root.getSubcommands().containsKey(name)) {
                root.addSubcommand(name, verb);
            }
        }
    }
}
