package jocker.cli;

import jocker.runtime.Feature;

import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * A step's parts, listed by its root command: what its runtime verbs add to
 * every container (step 1 nothing, step 2 a cgroup, ...), and the parts its
 * {@code run} is made of (see RunPart). The verbs and run stay the same code.
 */
public interface StepParts {
    List<Feature> runtimeFeatures();

    /** The parts of this step's run, in step order; fresh objects each time (they hold flags). */
    default List<RunPart> runParts() {
        return List.of();
    }

    /**
     * This step's commands (picocli {@code @Command} classes), in the order
     * its help lists them; the runtime verbs are added to them (see
     * CommandTree). In code, not in the root's annotation, so that a run
     * of one command builds only that command.
     */
    List<Class<?>> commands();

    /**
     * The step before's commands and this step's: one named as an earlier
     * one replaces it where it was, the others follow {@code run}.
     */
    static List<Class<?>> extend(List<Class<?>> before, Class<?>... mine) {
        List<Class<?>> out = new ArrayList<>(before);
        int next = 1;
        for (Class<?> c : mine) {
            int same = -1;
            for (int i = 0; i < out.size(); i++) {
                if (name(out.get(i)).equals(name(c))) {
                    same = i;
                }
            }
            if (same >= 0) {
                out.set(same, c);
            } else {
                out.add(next++, c);
            }
        }
        return List.copyOf(out);
    }

    /** A command class's name, from its annotation. */
    static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
