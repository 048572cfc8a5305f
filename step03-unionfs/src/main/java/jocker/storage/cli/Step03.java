package jocker.storage.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cgroups.cli.CgroupCleanupCommand;
import jocker.cgroups.cli.CgroupRunPart;
import jocker.cgroups.cli.LimitedSpecCommand;
import jocker.cli.CdsTrainCommand;
import jocker.cli.Cli;
import jocker.cli.RootfsCommand;
import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.runtime.Feature;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code step03}: step 2 plus copy-on-write root filesystems from layers. */
@Command(name = "step03", mixinStandardHelpOptions = true, version = "jocker step03 0.1.0",
        description = "Step 3 of jocker: containers whose root filesystem is a stack of layers, copy-on-write.",
        subcommands = {RunCommand.class, StorageCommands.Layer.class, StorageCommands.Diff.class,
                StorageCommands.Export.class, StorageCommands.Ps.class, StorageCommands.Rm.class,
                LimitedSpecCommand.class, RootfsCommand.class, StorageDoctorCommand.class, CgroupCleanupCommand.class,
                CdsTrainCommand.class})
public class Step03 implements StepParts {
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
