package jocker.cgroups.cli;

import jocker.cgroups.CpuList;
import jocker.cgroups.MemorySize;
import jocker.cgroups.Resources;
import jocker.spec.SpecException;
import picocli.CommandLine.Option;

/** docker run's resource flags, as step 2 adds them to run. */
public class ResourceOptions {
    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit (6m at least): 512k, 64m, 1g.")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "SIZE",
            description = "Memory plus swap limit; -1 is unlimited (default: twice --memory).")
    String memorySwap;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", description = "Soft memory limit.")
    String memoryReservation;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs, as a decimal: 0.5 is half of one CPU's time.")
    String cpus;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N", description = "Relative CPU weight (default 1024).")
    Long cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs allowed: 0-2,4.")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes allowed: 0-1.")
    String cpusetMems;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most processes and threads at once; -1 is unlimited.")
    Long pidsLimit;

    public boolean isEmpty() {
        return memory == null && memorySwap == null && memoryReservation == null && cpus == null
                && cpuShares == null && cpusetCpus == null && cpusetMems == null && pidsLimit == null;
    }

    // tag::flags-to-resources[]
    /** The flags as the spec's resources section, with docker's meaning of each. */
    public Resources toResources() {
        Resources.Memory mem = null;
        if (memory != null || memorySwap != null || memoryReservation != null) {
            Long limit = memory == null ? null : MemorySize.parse("--memory", memory);
            Long swap = null;
            if (memorySwap != null) {
                swap = memorySwap.trim().equals("-1") ? -1L : MemorySize.parse("--memory-swap", memorySwap);
            } else if (limit != null) {
                swap = 2 * limit; // docker's default: as much swap as memory
            }
            Long reservation = memoryReservation == null ? null : MemorySize.parse("--memory-reservation", memoryReservation);
            mem = new Resources.Memory(limit, reservation, swap);
        }
        Resources.Cpu cpu = null;
        if (cpus != null || cpuShares != null || cpusetCpus != null || cpusetMems != null) {
            Long quota = null;
            Long period = null;
            if (cpus != null) {
                period = 100_000L; // 100 ms
                quota = Math.round(parseCpus(cpus) * period);
            }
            if (cpusetCpus != null) {
                CpuList.parse("--cpuset-cpus", cpusetCpus);
            }
            if (cpusetMems != null) {
                CpuList.parse("--cpuset-mems", cpusetMems);
            }
            cpu = new Resources.Cpu(cpuShares, quota, period, cpusetCpus, cpusetMems);
        }
        Resources.Pids pids = pidsLimit == null ? null : new Resources.Pids(pidsLimit);
        return new Resources(mem, cpu, pids, null);
    }
    // end::flags-to-resources[]

    private static double parseCpus(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (value <= 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            if (value < 0.01) {
                throw new SpecException("--cpus: " + text + " is below the minimum of 0.01");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SpecException("--cpus: invalid value \"" + text + "\" (want a positive decimal: 0.5, 2)");
        }
    }
}
