package jocker.cgroups.v2;

import jocker.cgroups.CgroupException;
import jocker.cgroups.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The device program's assembly; what the kernel makes of it is V2OnThisHostTest's. */
class DevicesTest {
    private static final int PROLOGUE = 6;
    private static final int DEFAULT_DENY = 2;

    @Test
    void accessLettersBecomeTheKernelsBits() {
        assertEquals(7, Devices.access("rwm"));
        assertEquals(Devices.ACC_READ | Devices.ACC_MKNOD, Devices.access("mr"));
        CgroupException e = assertThrows(CgroupException.class, () -> Devices.access("rx"));
        assertEquals("invalid device access \"rx\": want letters of rwm", e.getMessage());
    }

    @Test
    void aDeviceTypeIsBlockCharOrAll() {
        assertEquals(Devices.DEV_BLOCK, Devices.type("b"));
        assertEquals(Devices.DEV_CHAR, Devices.type("c"));
        CgroupException e = assertThrows(CgroupException.class,
                () -> Devices.program(List.of(Resources.DeviceRule.allow("p", null, null, "rwm"))));
        assertEquals("invalid device type \"p\": want a, b or c", e.getMessage());
    }

    @Test
    void aRuleTestsOnlyWhatItNames() {
        // type, major, minor: three jumps, then the answer (mov, exit); rwm needs no access test
        byte[] one = Devices.program(List.of(Resources.DeviceRule.allow("c", 1L, 3L, "rwm")));
        assertEquals((PROLOGUE + 3 + 2 + DEFAULT_DENY) * 8, one.length);
        // access "r": three more (mov, and, jump); a wildcard major and minor: none
        byte[] two = Devices.program(List.of(Resources.DeviceRule.allow("b", null, null, "r")));
        assertEquals((PROLOGUE + 1 + 3 + 2 + DEFAULT_DENY) * 8, two.length);
    }

    @Test
    void jumpsLandOnTheNextRule() {
        byte[] p = Devices.program(List.of(Resources.DeviceRule.allow("c", 1L, 3L, "rwm")));
        // instruction 6: if type != char, skip the other four of the rule (major, minor, mov, exit)
        assertArrayEquals(new byte[] {0x55, 0x02, 4, 0, 2, 0, 0, 0}, java.util.Arrays.copyOfRange(p, 48, 56));
        // instruction 8: if minor != 3, skip mov and exit
        assertArrayEquals(new byte[] {0x55, 0x05, 2, 0, 3, 0, 0, 0}, java.util.Arrays.copyOfRange(p, 64, 72));
    }

    @Test
    void nothingFollowsARuleForEveryDevice() {
        // docker's "deny all" comes first, so it is tested last, and then nothing is left to answer
        byte[] p = Devices.program(List.of(new Resources.DeviceRule(false, "a", null, null, "rwm"),
                Resources.DeviceRule.allow("c", 1L, 3L, "rwm")));
        assertEquals((PROLOGUE + 5 + 2) * 8, p.length);
    }
}
