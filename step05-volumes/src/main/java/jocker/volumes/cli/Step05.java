package jocker.volumes.cli;

import jocker.cli.Cli;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.image.cli.Step04;
import jocker.runtime.Feature;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code step05}: step 4 plus volumes: a volume store, and run's -v, --mount, --tmpfs, --volumes-from. */
@Command(name = "step05", version = "jocker step05 0.1.0",
        description = "Step 5 of jocker: volumes, bind mounts and tmpfs mounts, outside the container's union filesystem.")
public class Step05 implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return StepParts.extend(new Step04().commands(), VolumeCommands.Volume.class, VolumeCommands.RmContainer.class);
    }

    /** Every container of this step's runtime gets step 4's features (a cgroup with the spec's limits). */
    @Override
    public List<Feature> runtimeFeatures() {
        return new Step04().runtimeFeatures();
    }

    /** step 4's run, with volumes: the image's VOLUMEs are step 5's part's to make. */
    @Override
    public List<RunPart> runParts() {
        List<RunPart> parts = new ArrayList<>(new Step04().runParts());
        parts.add(new VolumeRunPart());
        return parts;
    }

    public static void main(String[] args) {
        Step04.exit(Cli.main(new Step05(), args)); // without waiting for the registry client's thread
    }
}
