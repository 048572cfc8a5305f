package jocker.volumes.cli;

import jocker.cgroups.cli.CgroupCleanupCommand;
import jocker.cgroups.cli.LimitedSpecCommand;
import jocker.cli.Cli;
import jocker.cli.RootfsCommand;
import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.image.cli.ImageCdsTrainCommand;
import jocker.image.cli.ImageCommands;
import jocker.image.cli.Step04;
import jocker.runtime.Feature;
import jocker.storage.cli.StorageCommands;
import jocker.storage.cli.StorageDoctorCommand;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code step05}: step 4 plus volumes: a volume store, and run's -v, --mount, --tmpfs, --volumes-from. */
@Command(name = "step05", mixinStandardHelpOptions = true, version = "jocker step05 0.1.0",
        description = "Step 5 of jocker: volumes, bind mounts and tmpfs mounts, outside the container's union filesystem.",
        subcommands = {RunCommand.class, VolumeCommands.Volume.class, ImageCommands.Pull.class, ImageCommands.Push.class,
                ImageCommands.ImagesList.class, ImageCommands.Inspect.class, ImageCommands.ShowManifest.class, ImageCommands.History.class,
                ImageCommands.Tag.class, ImageCommands.Rmi.class, ImageCommands.Import.class, ImageCommands.Save.class,
                ImageCommands.Load.class, ImageCommands.Commit.class, ImageCommands.Login.class, ImageCommands.Logout.class,
                StorageCommands.Layer.class, StorageCommands.Diff.class, StorageCommands.Export.class,
                StorageCommands.Ps.class, VolumeCommands.RmContainer.class, LimitedSpecCommand.class, RootfsCommand.class,
                StorageDoctorCommand.class, CgroupCleanupCommand.class, ImageCdsTrainCommand.class})
public class Step05 implements StepParts {
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
