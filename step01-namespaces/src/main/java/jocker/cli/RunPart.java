package jocker.cli;

import jocker.runtime.Container;
import jocker.runtime.ContainerResult;
import jocker.runtime.Feature;
import jocker.spec.Spec;

import java.util.List;

// tag::run-part[]
/**
 * What a step adds to {@code run}, as a part, not a subclass: the part
 * object is a picocli mixin holding its flags (docker's names), and it
 * takes its share of making and running the container. A step's root
 * command lists its parts ({@link StepParts#runParts}); step 1's run
 * command is the only run command there is.
 *
 * <pre>
 *   container   the parts, last step first, may supply the container's root
 *               (step 3 from --layer, step 4 from an IMAGE); none did: step 1's
 *               --rootfs or --bundle
 *   customize   the spec, built from the flags, goes through every part in step
 *               order (step 2 adds its resources)
 *   features    what each part adds to the container's life (a cgroup, storage)
 *   finish      what each part reports when it ended (step 2: OOM, stats)
 * </pre>
 */
public interface RunPart {
    /**
     * Whether this part puts the container under device rules (step 2's
     * device cgroup). Until one does, run leaves CAP_MKNOD out: a container's
     * root could otherwise make a node for the host's disk and read it.
     */
    default boolean appliesDeviceRules() {
        return false;
    }

    /** The container, if this part's flags name its root; null leaves it to the parts before. */
    default Container container(RunCommand.Request run, String id) {
        return null;
    }

    /** Adds what this part knows to a spec made for this run. */
    default Spec customize(RunCommand.Request run, Spec spec) {
        return spec;
    }

    /** What this part adds to the container's life. */
    default List<Feature> features(Container container) {
        return List.of();
    }

    /** Reports what it measured when the container ended; returns the exit code (given the one so far). */
    default int finish(RunCommand.Request run, Container container, ContainerResult result, int code) {
        return code;
    }
}
// end::run-part[]
