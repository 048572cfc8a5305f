package jocker.mounts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DevicesTest {
    @Test
    void makedevEncodesLikeGlibc() {
        assertEquals(0x103, Devices.makedev(1, 3));
        assertEquals(0x500, Devices.makedev(5, 0));
        // large numbers split across the high bits
        assertEquals((0x1000L << 32) | (0x100L << 12), Devices.makedev(0x1000, 0x100));
    }
}
