package jocker.cli;

import picocli.CommandLine.Command;


/** {@code step01}: namespaces and pivot_root, the first step of jocker. */
@Command(name = "step01", mixinStandardHelpOptions = true, version = "jocker step01 0.1.0",
        description = "Step 1 of jocker: a process in its own namespaces, inside its own root filesystem.",
        subcommands = {RunCommand.class, SpecCommand.class, RootfsCommand.class, DoctorCommand.class,
                CdsTrainCommand.class})
public class Main {
    public static void main(String[] args) {
        System.exit(Cli.main(new Main(), args));
    }
}
