package jocker.cgroups;

import jocker.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Sizes and CPU lists as docker's flags write them. */
class ValuesTest {
    @Test
    void sizesTakeDockersUnits() {
        assertEquals(100, MemorySize.parse("-m", "100"));
        assertEquals(512L << 10, MemorySize.parse("-m", "512k"));
        assertEquals(64L << 20, MemorySize.parse("-m", "64m"));
        assertEquals(64L << 20, MemorySize.parse("-m", "64MB"));
        assertEquals(3L << 29, MemorySize.parse("-m", "1.5g"));
        assertEquals(1L << 40, MemorySize.parse("-m", "1T"));
    }

    @Test
    void aBadSizeIsQuoted() {
        assertEquals("--memory: invalid size \"lots\" (want a number with an optional unit: 512k, 64m, 1g)",
                assertThrows(SpecException.class, () -> MemorySize.parse("--memory", "lots")).getMessage());
        assertThrows(SpecException.class, () -> MemorySize.parse("-m", "-5m"));
        assertThrows(SpecException.class, () -> MemorySize.parse("-m", "5q"));
        assertEquals("-m: size \"99999999p\" is too large",
                assertThrows(SpecException.class, () -> MemorySize.parse("-m", "99999999p")).getMessage());
    }

    @Test
    void sizesFormatForPeople() {
        assertEquals("32 MiB", MemorySize.format(32L << 20));
        assertEquals("1.5 GiB", MemorySize.format(3L << 29));
        assertEquals("100 B", MemorySize.format(100));
    }

    @Test
    void cpuListsParseAndFormat() {
        BitSet set = CpuList.parse("--cpuset-cpus", "0-2,4, 7-8");
        assertEquals("0-2,4,7-8", CpuList.format(set));
        assertEquals("3", CpuList.format(CpuList.parse("x", "3")));
        assertEquals("", CpuList.format(CpuList.parse("x", "")));
    }

    @Test
    void badCpuListsAreQuoted() {
        for (String bad : new String[] {"a", "2-1", "1-2-3", "-1", "0,,1", "99999"}) {
            SpecException e = assertThrows(SpecException.class, () -> CpuList.parse("--cpuset-cpus", bad), bad);
            assertEquals("--cpuset-cpus: invalid list \"" + bad + "\" (want numbers and ranges: 0-2,4)", e.getMessage());
        }
    }

    @Test
    void deviceRulesAsV1WritesThem() {
        assertEquals("c 1:3 rwm", Resources.DeviceRule.allow("c", 1L, 3L, "rwm").v1Line());
        assertEquals("c 136:* rwm", Resources.DeviceRule.allow("c", 136L, null, "rwm").v1Line());
        assertEquals("a *:* rwm", new Resources.DeviceRule(false, null, null, null, null).v1Line());
        assertEquals("b *:* m", Resources.DeviceRule.allow("b", -1L, -1L, "m").v1Line());
    }

    @Test
    void theSpecsRulesComeFirstThenTheAlwaysAllowedOnes() {
        assertEquals(DeviceRules.DOCKER_DEFAULT.get(0), DeviceRules.effective(null).get(0));
        assertEquals(1 + DeviceRules.ALWAYS_ALLOWED.size(), DeviceRules.effective(null).size());
    }
}
