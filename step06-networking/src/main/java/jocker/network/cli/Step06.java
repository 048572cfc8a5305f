package jocker.network.cli;

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
import jocker.volumes.cli.Step05;
import jocker.volumes.cli.VolumeCommands;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code step06}: step 5 plus networking: bridges, veths, NAT, published ports, user networks with names. */
@Command(name = "step06", mixinStandardHelpOptions = true, version = "jocker step06 0.1.0",
        description = "Step 6 of jocker: a network stack per container, on a bridge, with NAT, published ports and user networks.",
        subcommands = {RunCommand.class, NetworkCommands.Network.class, NetworkCommands.Port.class,
                VolumeCommands.Volume.class, ImageCommands.Pull.class, ImageCommands.Push.class,
                ImageCommands.ImagesList.class, ImageCommands.Inspect.class, ImageCommands.ShowManifest.class, ImageCommands.History.class,
                ImageCommands.Tag.class, ImageCommands.Rmi.class, ImageCommands.Import.class, ImageCommands.Save.class,
                ImageCommands.Load.class, ImageCommands.Commit.class, ImageCommands.Login.class, ImageCommands.Logout.class,
                StorageCommands.Layer.class, StorageCommands.Diff.class, StorageCommands.Export.class,
                StorageCommands.Ps.class, VolumeCommands.RmContainer.class, LimitedSpecCommand.class, RootfsCommand.class,
                NetworkDoctorCommand.class, NetworkCommands.Cleanup.class, ImageCdsTrainCommand.class})
public class Step06 implements StepParts {
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
