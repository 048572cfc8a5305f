package jocker.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The checks docker makes on limits before it starts anything, whatever the
 * cgroup version, with docker's own messages where it has one.
 */
public final class Limits {
    private Limits() {}

    /** docker refuses less: a container cannot even start below this. */
    public static final long MIN_MEMORY = 6L << 20;

    public static void validate(Resources r) {
        Resources.Memory m = r.memory();
        if (m != null) {
            if (m.limit() != null && m.limit() > 0 && m.limit() < MIN_MEMORY) {
                throw new CgroupException("Minimum memory limit allowed is 6MB (asked: " + MemorySize.format(m.limit()) + ")");
            }
            if (m.swap() != null && m.swap() != 0 && (m.limit() == null || m.limit() <= 0)) {
                throw new CgroupException("You should always set the Memory limit when using Memoryswap limit");
            }
            if (m.swap() != null && m.swap() > 0 && m.limit() != null && m.swap() < m.limit()) {
                throw new CgroupException("Minimum memoryswap limit should be larger than memory limit ("
                        + MemorySize.format(m.swap()) + " < " + MemorySize.format(m.limit()) + ")");
            }
            if (m.reservation() != null && m.limit() != null && m.limit() > 0 && m.reservation() > m.limit()) {
                throw new CgroupException("Minimum memory limit can not be less than memory reservation limit");
            }
        }
        Resources.Cpu c = r.cpu();
        if (c != null) {
            if (c.quota() != null && c.quota() > 0) {
                long period = c.period() == null ? 100_000 : c.period();
                int cpus = onlineCpus().cardinality();
                if (c.quota() > period * cpus) {
                    throw new CgroupException(String.format(java.util.Locale.ROOT,
                            "Range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available (asked: %.2f)",
                            cpus, cpus, c.quota() / (double) period));
                }
            }
            if (c.shares() != null && (c.shares() < 2 || c.shares() > 262144)) {
                throw new CgroupException("cpu shares " + c.shares() + " is out of range 2 to 262144");
            }
            checkSubset("CPUs", c.cpus(), onlineCpus());
            checkSubset("Mems", c.mems(), onlineMems());
        }
    }

    private static void checkSubset(String what, String asked, BitSet available) {
        if (asked == null || asked.isBlank()) {
            return;
        }
        BitSet requested = CpuList.parse("--cpuset-" + what.toLowerCase(java.util.Locale.ROOT), asked);
        BitSet extra = (BitSet) requested.clone();
        extra.andNot(available);
        if (!extra.isEmpty()) {
            throw new CgroupException("Requested " + what + " are not available - requested " + asked
                    + ", available: " + CpuList.format(available));
        }
    }

    /** The value of pids.max, the same file on v1 and v2: "max" is unlimited. */
    public static String pidsMax(Resources.Pids p) {
        return p.limit() > 0 ? Long.toString(p.limit()) : "max";
    }

    public static BitSet onlineCpus() {
        return readList(Path.of("/sys/devices/system/cpu/online"), "0");
    }

    public static BitSet onlineMems() {
        return readList(Path.of("/sys/devices/system/node/online"), "0");
    }

    private static BitSet readList(Path file, String fallback) {
        try {
            return CpuList.parse(file.toString(), Files.exists(file) ? Files.readString(file).trim() : fallback);
        } catch (IOException e) {
            throw new CgroupException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
