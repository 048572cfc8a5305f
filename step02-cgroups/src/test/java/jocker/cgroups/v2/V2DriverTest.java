package jocker.cgroups.v2;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class V2DriverTest {
    @Test
    void sharesMapOntoWeightAsRuncMapsThem() {
        assertEquals(1, Cpu.weight(2));
        assertEquals(10000, Cpu.weight(262144));
        assertEquals(39, Cpu.weight(1024));
    }
}
