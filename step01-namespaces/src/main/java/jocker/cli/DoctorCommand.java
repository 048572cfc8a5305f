package jocker.cli;

import jocker.doctor.Check;
import jocker.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code doctor}: what this host has and lacks for jocker, and how to fix it. Exit 1 when something fails. */
@Command(name = "doctor", description = "Check this host for what jocker needs, and say how to fix what is missing.")
public class DoctorCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        return new Doctor(checks()).run(self.commandLine().getOut()) ? 0 : 1;
    }

    /** Later steps append their checks. */
    protected List<Check> checks() {
        return Doctor.step01Checks();
    }
}
