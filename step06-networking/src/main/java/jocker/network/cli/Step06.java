package jocker.network.cli;

import jocker.cli.Cli;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.image.cli.Step04;
import jocker.runtime.Feature;
import jocker.volumes.cli.Step05;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code step06}: step 5 plus networking: bridges, veths, NAT, published ports, user networks with names. */
@Command(name = "step06", version = "jocker step06 0.1.0",
        description = "Step 6 of jocker: a network stack per container, on a bridge, with NAT, published ports and user networks.")
public class Step06 implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return StepParts.extend(new Step05().commands(), NetworkCommands.Network.class, NetworkCommands.Port.class,
                NetworkDoctorCommand.class, NetworkCommands.Cleanup.class);
    }

    @Override
    public List<Feature> runtimeFeatures() {
        return new Step05().runtimeFeatures();
    }

    /** step 5's run, with a network: step 6's part sets up the container's stack. */
    @Override
    public List<RunPart> runParts() {
        List<RunPart> parts = new ArrayList<>(new Step05().runParts());
        parts.add(new NetworkRunPart());
        return parts;
    }

    public static void main(String[] args) {
        Step04.exit(Cli.main(new Step06(), args));
    }
}
