package jocker.image.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cgroups.cli.CgroupRunPart;
import jocker.cli.Cli;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.image.registry.RegistryClient;
import jocker.runtime.Feature;
import jocker.storage.cli.Step03;
import jocker.storage.cli.StorageRunPart;
import jocker.sys.LibC;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code step04}: step 3 plus images: a store, a registry client, archives, commit, run IMAGE. */
@Command(name = "step04", version = "jocker step04 0.1.0",
        description = "Step 4 of jocker: images, pulled, pushed, saved, loaded, committed, and containers run from them.")
public class Step04 implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return StepParts.extend(new Step03().commands(), ImageCommands.Pull.class, ImageCommands.Push.class,
                ImageCommands.ImagesList.class, ImageCommands.Inspect.class, ImageCommands.ShowManifest.class,
                ImageCommands.History.class, ImageCommands.Tag.class, ImageCommands.Rmi.class, ImageCommands.Import.class,
                ImageCommands.Save.class, ImageCommands.Load.class, ImageCommands.Commit.class, ImageCommands.Login.class,
                ImageCommands.Logout.class, ImageCdsTrainCommand.class);
    }

    /** Every container of this step's runtime gets a cgroup with the spec's limits. */
    @Override
    public List<Feature> runtimeFeatures() {
        return List.of(new CgroupFeature(CgroupDriver.detect()));
    }

    /** step 3's run, with roots from images: run IMAGE [COMMAND...]. */
    @Override
    public List<RunPart> runParts() {
        return List.of(new CgroupRunPart(), new StorageRunPart(), new ImageRunPart());
    }

    public static void main(String[] args) {
        exit(Cli.main(new Step04(), args));
    }

    /** Ends the program of step 4 and the steps after it with code. */
    public static void exit(int code) {
        if (RegistryClient.used()) {
            // the JVM's exit would wait 300 ms for the HTTP client's thread (see used());
            // there are no shutdown hooks, and everything is written: output flushed, files closed
            System.out.flush();
            System.err.flush();
            LibC._exit(code);
        }
        System.exit(code);
    }
}
