package jocker.cli;

import picocli.CommandLine.Command;

/** {@code step02}: step 1 plus cgroups: limits, accounting, OOM detection. */
@Command(name = "step02", mixinStandardHelpOptions = true, version = "jocker step02 0.1.0",
        description = "Step 2 of jocker: step 1's container, in its own cgroup, with resource limits.",
        subcommands = {LimitedRunCommand.class, LimitedSpecCommand.class, RootfsCommand.class,
                CgroupDoctorCommand.class, CgroupCleanupCommand.class, CdsTrainCommand.class})
public class Step02 {
    public static void main(String[] args) {
        System.exit(Cli.main(new Step02(), args));
    }
}
