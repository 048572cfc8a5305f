package jocker.cgroups;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The limits docker refuses before starting anything, with docker's messages. */
class LimitsTest {
    private static String refused(Resources r) {
        return assertThrows(CgroupException.class, () -> Limits.validate(r)).getMessage();
    }

    private static Resources memory(Long limit, Long reservation, Long swap) {
        return new Resources(new Resources.Memory(limit, reservation, swap), null, null, null);
    }

    private static Resources cpu(Long shares, Long quota, String cpus, String mems) {
        return new Resources(null, new Resources.Cpu(shares, quota, quota == null ? null : 100_000L, cpus, mems), null, null);
    }

    @Test
    void memoryBelowSixMegabytes() {
        assertEquals("Minimum memory limit allowed is 6MB (asked: 5 MiB)", refused(memory(5L << 20, null, null)));
        Limits.validate(memory(6L << 20, null, null));
    }

    @Test
    void swapWithoutMemory() {
        assertEquals("You should always set the Memory limit when using Memoryswap limit", refused(memory(null, null, 1L << 30)));
    }

    @Test
    void swapBelowMemory() {
        assertEquals("Minimum memoryswap limit should be larger than memory limit (32 MiB < 64 MiB)",
                refused(memory(64L << 20, null, 32L << 20)));
        Limits.validate(memory(64L << 20, null, -1L));
    }

    @Test
    void reservationAboveMemory() {
        assertEquals("Minimum memory limit can not be less than memory reservation limit",
                refused(memory(64L << 20, 128L << 20, null)));
    }

    @Test
    void moreCpusThanTheHostHas() {
        int cpus = Limits.onlineCpus().cardinality();
        String msg = refused(cpu(null, (cpus + 1) * 100_000L, null, null));
        assertEquals("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus
                + " CPUs available (asked: " + (cpus + 1) + ".00)", msg);
    }

    @Test
    void sharesOutOfRange() {
        assertEquals("cpu shares 1 is out of range 2 to 262144", refused(cpu(1L, null, null, null)));
    }

    @Test
    void cpusetsThatDoNotExist() {
        assertEquals("Requested CPUs are not available - requested 0-4095, available: "
                + CpuList.format(Limits.onlineCpus()), refused(cpu(null, null, "0-4095", null)));
        assertEquals("Requested Mems are not available - requested 7, available: "
                + CpuList.format(Limits.onlineMems()), refused(cpu(null, null, null, "7")));
    }

    @Test
    void pidsMaxIsMaxWhenUnlimited() {
        assertEquals("max", Limits.pidsMax(new Resources.Pids(-1)));
        assertEquals("max", Limits.pidsMax(new Resources.Pids(0)));
        assertEquals("20", Limits.pidsMax(new Resources.Pids(20)));
    }
}
