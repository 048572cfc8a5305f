package jocker.cli;

import picocli.CommandLine.Command;

/** {@code step03}: step 2 plus copy-on-write root filesystems from layers. */
@Command(name = "step03", mixinStandardHelpOptions = true, version = "jocker step03 0.1.0",
        description = "Step 3 of jocker: containers whose root filesystem is a stack of layers, copy-on-write.",
        subcommands = {LayeredRunCommand.class, StorageCommands.Layer.class, StorageCommands.Diff.class,
                StorageCommands.Export.class, StorageCommands.Ps.class, StorageCommands.Rm.class,
                LimitedSpecCommand.class, RootfsCommand.class, StorageDoctorCommand.class, CgroupCleanupCommand.class,
                CdsTrainCommand.class})
public class Step03 {
    public static void main(String[] args) {
        System.exit(Cli.main(new Step03(), args));
    }
}
