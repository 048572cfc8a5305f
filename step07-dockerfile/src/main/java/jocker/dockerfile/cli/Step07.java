package jocker.dockerfile.cli;

import jocker.cli.Cli;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.image.cli.Step04;
import jocker.network.cli.Step06;
import jocker.runtime.Feature;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code step07}: step 6 plus Dockerfiles: the parser, the word expansion and the builder. */
@Command(name = "step07", version = "jocker step07 0.1.0",
        description = "Step 7 of jocker: Dockerfiles, parsed and expanded by docker's rules.")
public class Step07 implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return StepParts.extend(new Step06().commands(), BuildCommand.class, DockerfileCommands.Parse.class,
                DockerfileCommands.Expand.class);
    }

    @Override
    public List<Feature> runtimeFeatures() {
        return new Step06().runtimeFeatures();
    }

    /** step 6's run, as it is. */
    @Override
    public List<RunPart> runParts() {
        return new ArrayList<>(new Step06().runParts());
    }

    public static void main(String[] args) {
        Step04.exit(Cli.main(new Step07(), args));
    }
}
