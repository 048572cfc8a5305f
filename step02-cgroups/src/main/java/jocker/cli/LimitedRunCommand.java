package jocker.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cgroups.CgroupStats;
import jocker.cgroups.DeviceRules;
import jocker.cgroups.MemorySize;
import jocker.cgroups.Resources;
import jocker.runtime.Container;
import jocker.runtime.ContainerResult;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** step 2's run: step 1's, in a cgroup with docker's resource flags. */
@Command(name = "run", sortOptions = false,
        description = "Run a command in new namespaces and its own cgroup, with resource limits.")
public class LimitedRunCommand extends RunCommand {
    @Mixin
    ResourceOptions limits;

    @Option(names = "--stats", description = "When the container ends, print its peak memory, CPU time and peak pids.")
    boolean stats;

    private CgroupDriver driver;
    private CgroupFeature cgroups;

    private CgroupDriver driver() {
        if (driver == null) {
            driver = CgroupDriver.detect();
        }
        return driver;
    }

    @Override
    protected Spec customize(Spec spec) {
        if (bundle != null) {
            if (!limits.isEmpty()) {
                throw new SpecException("--bundle takes its limits from config.json: resource flags cannot be added");
            }
            Resources fromBundle = Resources.of(spec);
            driver().validate(fromBundle);
            return spec;
        }
        Resources resources = limits.toResources().withDevices(DeviceRules.DOCKER_DEFAULT);
        driver().validate(resources); // a limit the host cannot honour fails here, before anything starts
        return resources.into(spec);
    }

    @Override
    protected List<Feature> features(Container container) {
        cgroups = new CgroupFeature(driver());
        return List.of(cgroups);
    }

    // tag::finish[]
    @Override
    protected int finish(Container container, ContainerResult result) {
        PrintWriter err = self.commandLine().getErr();
        String program = self.root().name();
        int code = result.exitCode();
        if (cgroups.oomKilled()) {
            Resources.Memory memory = Resources.of(container.spec()).memory();
            err.println(program + ": OOMKilled: the kernel's OOM killer ended the container"
                    + (memory != null && memory.limit() != null ? " (memory limit " + MemorySize.format(memory.limit()) + ")" : ""));
            code = code == 0 ? 137 : code;
        }
        if (stats && cgroups.stats() != null) {
            CgroupStats s = cgroups.stats();
            err.println(String.format(Locale.ROOT, "%s: stats: memory peak %s, cpu %.3f s, pids peak %s", program,
                    s.memoryPeakBytes() == null ? "unknown" : MemorySize.format(s.memoryPeakBytes()),
                    s.cpuNanos() / 1e9, s.pidsPeak() == null ? "unknown" : s.pidsPeak().toString()));
        }
        err.flush();
        return code;
    }
    // end::finish[]
}
