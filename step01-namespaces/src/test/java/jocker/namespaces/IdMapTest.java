package jocker.namespaces;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdMapTest {
    private static Map<String, Object> range(Object container, Object host, Object size) {
        return Map.of("containerID", container, "hostID", host, "size", size);
    }

    @Test
    void rangesTranslateIdsAndPrintAsTheKernelReadsThem() {
        IdMap map = IdMap.parse(List.of(range(0, 100000, 1000), range(1000, 5, 1)), "uidMappings");
        assertEquals("0 100000 1000\n1000 5 1\n", map.procFormat());
        assertEquals(100000, map.toHost(0));
        assertEquals(100999, map.toHost(999));
        assertEquals(5, map.toHost(1000));
        assertEquals(-1, map.toHost(1001));
    }

    @Test
    void badMapsAreRefusedNamingTheField() {
        assertMessage("linux.uidMappings must be a non-empty list of {containerID, hostID, size}", List.of());
        assertMessage("linux.uidMappings must be a non-empty list of {containerID, hostID, size}", "0 0 1");
        assertMessage("linux.uidMappings entry 7 is not an object", List.of(7));
        assertMessage("linux.uidMappings entry {hostID=1, size=1}: containerID is missing or not an id (0 to 4294967295)",
                List.of(new java.util.TreeMap<>(Map.of("hostID", 1, "size", 1))));
        assertMessage("linux.uidMappings entry {containerID=-1, hostID=1, size=1}: containerID is missing or not an id"
                + " (0 to 4294967295)", List.of(new java.util.TreeMap<>(range(-1, 1, 1))));
        assertMessage("linux.uidMappings entry {containerID=0, hostID=1, size=0}: size must be at least 1 and the range"
                + " within 32-bit ids", List.of(new java.util.TreeMap<>(range(0, 1, 0))));
        assertMessage("linux.uidMappings: ranges 0 100 10 and 5 200 10 overlap", List.of(range(0, 100, 10), range(5, 200, 10)));
        assertMessage("linux.uidMappings: ranges 0 100 10 and 50 105 10 overlap", List.of(range(0, 100, 10), range(50, 105, 10)));
    }

    private static void assertMessage(String message, Object section) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdMap.parse(section, "uidMappings"));
        assertEquals(message, e.getMessage());
    }
}
