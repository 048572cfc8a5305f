package jocker.dockerfile.cli;

import jocker.cgroups.cli.LimitedSpecCommand;
import jocker.cli.Cli;
import jocker.cli.RootfsCommand;
import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.image.cli.ImageCdsTrainCommand;
import jocker.image.cli.ImageCommands;
import jocker.image.cli.Step04;
import jocker.network.cli.NetworkCommands;
import jocker.network.cli.NetworkDoctorCommand;
import jocker.network.cli.Step06;
import jocker.runtime.Feature;
import jocker.storage.cli.StorageCommands;
import jocker.volumes.cli.VolumeCommands;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code step07}: step 6 plus Dockerfiles: the parser and the word expansion (the builder comes next). */
@Command(name = "step07", mixinStandardHelpOptions = true, version = "jocker step07 0.1.0",
        description = "Step 7 of jocker: Dockerfiles, parsed and expanded by docker's rules.",
        subcommands = {RunCommand.class, BuildCommand.class, DockerfileCommands.Parse.class, DockerfileCommands.Expand.class,
                NetworkCommands.Network.class, NetworkCommands.Port.class,
                VolumeCommands.Volume.class, ImageCommands.Pull.class, ImageCommands.Push.class,
                ImageCommands.ImagesList.class, ImageCommands.Inspect.class, ImageCommands.ShowManifest.class, ImageCommands.History.class,
                ImageCommands.Tag.class, ImageCommands.Rmi.class, ImageCommands.Import.class, ImageCommands.Save.class,
                ImageCommands.Load.class, ImageCommands.Commit.class, ImageCommands.Login.class, ImageCommands.Logout.class,
                StorageCommands.Layer.class, StorageCommands.Diff.class, StorageCommands.Export.class,
                StorageCommands.Ps.class, VolumeCommands.RmContainer.class, LimitedSpecCommand.class, RootfsCommand.class,
                NetworkDoctorCommand.class, NetworkCommands.Cleanup.class, ImageCdsTrainCommand.class})
public class Step07 implements StepParts {
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
