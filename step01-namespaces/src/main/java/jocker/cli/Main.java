package jocker.cli;

import jocker.runtime.Feature;
import picocli.CommandLine.Command;

import java.util.List;


/** {@code step01}: namespaces and pivot_root, the first step of jocker. */
@Command(name = "step01", version = "jocker step01 0.1.0",
        description = "Step 1 of jocker: a process in its own namespaces, inside its own root filesystem.")
public class Main implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return List.of(RunCommand.class, SpecCommand.class, RootfsCommand.class, DoctorCommand.class, CdsTrainCommand.class);
    }

    /** Step 1 adds nothing to the runtime's containers: namespaces and the rootfs are the runtime itself. */
    @Override
    public List<Feature> runtimeFeatures() {
        return List.of();
    }

    public static void main(String[] args) {
        System.exit(Cli.main(new Main(), args));
    }
}
