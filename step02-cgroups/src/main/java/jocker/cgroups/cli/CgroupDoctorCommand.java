package jocker.cgroups.cli;

import jocker.cgroups.CgroupChecks;
import jocker.cli.DoctorCommand;
import jocker.doctor.Check;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** step 2's doctor: step 1's checks, then the cgroup driver and leftover cgroups. */
@Command(name = "doctor", description = "Check this host for what jocker needs, and say how to fix what is missing.")
public class CgroupDoctorCommand extends DoctorCommand {
    @Override
    protected List<Check> checks() {
        List<Check> checks = new ArrayList<>(super.checks());
        checks.addAll(CgroupChecks.all());
        return checks;
    }
}
