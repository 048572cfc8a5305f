package jocker.storage.cli;

import jocker.cgroups.cli.CgroupDoctorCommand;
import jocker.cli.RootOption;
import jocker.doctor.Check;
import jocker.layers.LayerStore;
import jocker.storage.OverlayDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;

/** step 3's doctor: step 2's checks, then which storage driver this data root gets. */
@Command(name = "doctor", description = "Check this host for what jocker needs, and say how to fix what is missing.")
public class StorageDoctorCommand extends CgroupDoctorCommand {
    @Mixin
    RootOption root;

    @Override
    protected List<Check> checks() {
        List<Check> checks = new ArrayList<>(super.checks());
        checks.add(() -> {
            String problem = OverlayDriver.probe(new LayerStore(root.dataRoot()));
            return problem == null
                    ? Check.Result.ok("storage driver", "overlay (mounted for real in " + root.dataRoot() + "/layers)")
                    : Check.Result.warn("storage driver", "vfs, because " + problem,
                    "run the data root on a filesystem overlay accepts as upper (ext4, xfs), or accept vfs's copies");
        });
        return checks;
    }
}
