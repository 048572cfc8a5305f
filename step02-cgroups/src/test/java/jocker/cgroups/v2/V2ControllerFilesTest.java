package jocker.cgroups.v2;

import jocker.cgroups.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What each v2 controller writes, file by file, into a directory that stands
 * for a cgroup: checked on any host, also one whose cgroup2 has none of these
 * controllers (as the course's), where the limits cannot be tried for real.
 */
class V2ControllerFilesTest {
    @TempDir
    Path cgroup;

    private static final List<String> FILES = List.of("memory.max", "memory.swap.max", "memory.low", "cpu.weight",
            "cpu.max", "cpuset.cpus", "cpuset.mems", "pids.max");

    /** The files a controller writes to, made empty first, as the kernel shows them. */
    private Map<String, String> written() throws IOException {
        Map<String, String> values = new TreeMap<>();
        for (String file : FILES) {
            String value = Files.readString(cgroup.resolve(file));
            if (!value.isEmpty()) {
                values.put(file, value);
            }
        }
        return values;
    }

    private void emptyFiles() throws IOException {
        for (String file : FILES) {
            Files.writeString(cgroup.resolve(file), "");
        }
    }

    @Test
    void memoryGoesToMaxSwapAloneToSwapMaxAndTheReservationToLow() throws IOException {
        emptyFiles();
        Memory.apply(cgroup, new Resources.Memory(64L << 20, 32L << 20, 96L << 20));
        assertEquals(Map.of("memory.max", Long.toString(64L << 20), "memory.swap.max", Long.toString(32L << 20),
                "memory.low", Long.toString(32L << 20)), written());

        emptyFiles();
        Memory.apply(cgroup, new Resources.Memory(64L << 20, null, -1L));
        assertEquals(Map.of("memory.max", Long.toString(64L << 20), "memory.swap.max", "max"), written());

        emptyFiles();
        Memory.apply(cgroup, new Resources.Memory(0L, 0L, 0L)); // dockerd's "not set"
        assertEquals(Map.of(), written());
    }

    @Test
    void cpuSharesBecomeAWeightAndAQuotaAMaxWithItsPeriod() throws IOException {
        emptyFiles();
        Cpu.apply(cgroup, new Resources.Cpu(512L, 50_000L, 100_000L, null, null));
        assertEquals(Map.of("cpu.weight", "20", "cpu.max", "50000 100000"), written());

        emptyFiles();
        Cpu.apply(cgroup, new Resources.Cpu(null, 150_000L, null, null, null));
        assertEquals(Map.of("cpu.max", "150000 100000"), written(), "the period defaults to 100 ms");
    }

    @Test
    void cpusetsAndPidsAreWrittenAsGiven() throws IOException {
        emptyFiles();
        Cpuset.apply(cgroup, new Resources.Cpu(null, null, null, "0-1", "0"));
        Pids.apply(cgroup, new Resources.Pids(64));
        assertEquals(Map.of("cpuset.cpus", "0-1", "cpuset.mems", "0", "pids.max", "64"), written());

        emptyFiles();
        Pids.apply(cgroup, new Resources.Pids(0));
        assertEquals(Map.of("pids.max", "max"), written(), "0 or less: no limit");
    }
}
