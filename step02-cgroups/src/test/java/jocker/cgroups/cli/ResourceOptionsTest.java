package jocker.cgroups.cli;

import jocker.cgroups.Resources;
import jocker.spec.SpecException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker's resource flags, and what each means in the spec. */
class ResourceOptionsTest {
    private static Resources parse(String... args) {
        ResourceOptions options = new ResourceOptions();
        new CommandLine(options).parseArgs(args);
        return options.toResources();
    }

    @Test
    void noFlagsNoLimits() {
        assertEquals(Resources.NONE, parse());
        assertTrue(new ResourceOptions().isEmpty());
    }

    @Test
    void memoryGetsAsMuchSwapAsMemoryByDefault() {
        assertEquals(new Resources.Memory(32L << 20, null, 64L << 20), parse("-m", "32m").memory());
        assertEquals(new Resources.Memory(32L << 20, null, -1L), parse("-m", "32m", "--memory-swap", "-1").memory());
        assertEquals(new Resources.Memory(32L << 20, 16L << 20, 48L << 20),
                parse("-m", "32m", "--memory-reservation", "16m", "--memory-swap", "48m").memory());
    }

    @Test
    void cpusBecomeAQuotaOverOneHundredMilliseconds() {
        Resources.Cpu cpu = parse("--cpus", "0.5").cpu();
        assertEquals(50_000L, cpu.quota());
        assertEquals(100_000L, cpu.period());
        assertNull(cpu.shares());
        assertEquals(150_000L, parse("--cpus", "1.5").cpu().quota());
    }

    @Test
    void sharesCpusetsAndPids() {
        Resources r = parse("-c", "512", "--cpuset-cpus", "0", "--cpuset-mems", "0", "--pids-limit", "20");
        assertEquals(new Resources.Cpu(512L, null, null, "0", "0"), r.cpu());
        assertEquals(new Resources.Pids(20), r.pids());
    }

    @Test
    void badValuesAreQuoted() {
        assertEquals("--cpus: invalid value \"half\" (want a positive decimal: 0.5, 2)",
                assertThrows(SpecException.class, () -> parse("--cpus", "half")).getMessage());
        assertEquals("--cpus: 0.001 is below the minimum of 0.01",
                assertThrows(SpecException.class, () -> parse("--cpus", "0.001")).getMessage());
        assertThrows(SpecException.class, () -> parse("--cpus", "-1"));
        assertThrows(SpecException.class, () -> parse("--cpuset-cpus", "x"));
        assertThrows(SpecException.class, () -> parse("-m", "big"));
    }
}
