package jocker.cgroups.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cli.Cli;
import jocker.cli.RunPart;
import jocker.cli.StepParts;
import jocker.runtime.Feature;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code step02}: step 1 plus cgroups: limits, accounting, OOM detection. */
@Command(name = "step02", version = "jocker step02 0.1.0",
        description = "Step 2 of jocker: step 1's container, in its own cgroup, with resource limits.")
public class Step02 implements StepParts {
    @Override
    public List<Class<?>> commands() {
        return StepParts.extend(new jocker.cli.Main().commands(), LimitedSpecCommand.class, CgroupDoctorCommand.class,
                CgroupCleanupCommand.class);
    }

    /** Every container of this step's runtime gets a cgroup with the spec's limits. */
    @Override
    public List<Feature> runtimeFeatures() {
        return List.of(new CgroupFeature(CgroupDriver.detect()));
    }

    /** step 1's run, with a cgroup and docker's resource flags. */
    @Override
    public List<RunPart> runParts() {
        return List.of(new CgroupRunPart());
    }

    public static void main(String[] args) {
        System.exit(Cli.main(new Step02(), args));
    }
}
