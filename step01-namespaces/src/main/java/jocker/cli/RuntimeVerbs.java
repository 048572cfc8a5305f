package jocker.cli;

import java.util.List;

/**
 * runc's verbs, which make every step's program a runc-compatible runtime:
 * CommandTree adds them (and runc's global flags) to the step's commands. A
 * verb whose name the step already uses for something else keeps the
 * step's meaning (step 3's {@code ps} lists its containers as docker does).
 */
final class RuntimeVerbs {
    private RuntimeVerbs() {}

    static final List<Class<?>> VERBS = List.of(CreateCommand.class, StartCommand.class,
            StateCommand.class, KillCommand.class, DeleteCommand.class, ListCommand.class, PsCommand.class,
            PauseCommand.Pause.class, PauseCommand.Resume.class, ExecCommand.class, UpdateCommand.class,
            FeaturesCommand.class);
}
