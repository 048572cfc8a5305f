package jocker.doctor;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs checks and prints one line each (plus a fix line when something is wrong). */
public final class Doctor {
    private final List<Check> checks;

    public Doctor(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The checks step 1 needs; later steps append theirs. */
    public static List<Check> step01Checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(HostChecks::privileges);
        checks.add(HostChecks::namespaces);
        checks.add(HostChecks::kernelCalls);
        checks.add(HostChecks::mountPropagation);
        checks.add(HostChecks::cgroupVersion);
        checks.add(HostChecks::busybox);
        checks.add(HostChecks::container);
        return checks;
    }

    /** @return true when no check failed */
    public boolean run(PrintWriter out) {
        boolean healthy = true;
        for (Check check : checks) {
            Check.Result r;
            try {
                r = check.run();
            } catch (RuntimeException e) {
                r = Check.Result.fail("check", "a check crashed: " + e, null);
            }
            String tag = switch (r.status()) {
                case OK -> " ok ";
                case INFO -> "info";
                case WARN -> "warn";
                case FAIL -> "FAIL";
            };
            out.printf(Locale.ROOT, "[%s] %s: %s%n", tag, r.name(), r.detail());
            if (r.fix() != null) {
                out.printf(Locale.ROOT, "       fix: %s%n", r.fix());
            }
            healthy &= r.status() != Check.Status.FAIL;
        }
        out.flush();
        return healthy;
    }
}
