package jocker.cgroups.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFeature;
import jocker.cgroups.CgroupStats;
import jocker.cgroups.DeviceRules;
import jocker.cgroups.MemorySize;
import jocker.cgroups.Resources;
import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.runtime.Container;
import jocker.runtime.ContainerResult;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** step 2's part of run: docker's resource flags, a cgroup, and what it measured when the container ends. */
public class CgroupRunPart implements RunPart {
    /** Its cgroup carries docker's device rules: mknod of a disk is harmless behind them. */
    @Override
    public boolean appliesDeviceRules() {
        return true;
    }

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
    public Spec customize(RunCommand.Request run, Spec spec) {
        if (run.bundle() != null) {
            if (!limits.isEmpty()) {
                throw new SpecException("--bundle takes its limits from config.json: resource flags cannot be added");
            }
            driver().validate(Resources.of(spec));
            return spec;
        }
        Resources resources = limits.toResources().withDevices(DeviceRules.DOCKER_DEFAULT);
        driver().validate(resources); // a limit the host cannot honour fails here, before anything starts
        return resources.into(spec);
    }

    @Override
    public List<Feature> features(Container container) {
        cgroups = new CgroupFeature(driver());
        return List.of(cgroups);
    }

    // tag::finish[]
    @Override
    public int finish(RunCommand.Request run, Container container, ContainerResult result, int code) {
        PrintWriter err = run.err();
        String program = run.program();
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
