package jocker.cli;

import jocker.runtime.Feature;

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
}
