package jocker.storage.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cgroups.cli.CgroupRunPart;
import jocker.cgroups.cli.Step02;
import jocker.cli.Cli;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.runtime.Feature;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code step03}: step 2 plus copy-on-write root filesystems from layers. */
@Command(name = "step03", version = "jocker step03 0.1.0",
        description = "Step 3 of jocker: containers whose root filesystem is a stack of layers, copy-on-write.")
public class Step03 implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return StepParts.extend(new Step02().commands(), StorageCommands.Layer.class, StorageCommands.Diff.class,
                StorageCommands.Export.class, StorageCommands.Ps.class, StorageCommands.Rm.class,
                StorageDoctorCommand.class);
    }

    /** Every container of this step's runtime gets a cgroup with the spec's limits. */
    @Override
    public List<Feature> runtimeFeatures() {
        return List.of(new CgroupFeature(CgroupDriver.detect()));
    }

    /** step 2's run, with roots from layers. */
    @Override
    public List<RunPart> runParts() {
        return List.of(new CgroupRunPart(), new StorageRunPart());
    }

    public static void main(String[] args) {
        System.exit(Cli.main(new Step03(), args));
    }
}
