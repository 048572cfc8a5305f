package jocker.cgroups.cli;

import jocker.cgroups.DeviceRules;
import jocker.cli.SpecCommand;
import jocker.spec.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** step 2's spec: step 1's, with the resources section the flags give. */
@Command(name = "spec", sortOptions = false,
        description = "Print the OCI config.json that `run` builds from these flags, limits included.")
public class LimitedSpecCommand extends SpecCommand {
    @Mixin
    ResourceOptions limits;

    @Override
    protected Spec customize(Spec spec) {
        return limits.toResources().withDevices(DeviceRules.DOCKER_DEFAULT).into(spec);
    }
}
