package jocker.volumes.cli;

import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The volume commands' formats: docker's order of names, sizes, key=value flags, inspect's JSON. */
class VolumeCommandsTest {
    @Test
    void namesInNaturalOrder() {
        List<String> names = new ArrayList<>(List.of("v10", "v2", "data", "v02", "v1", "a", "v1b", "V3"));
        names.sort(VolumeCommands::natural);
        assertEquals(List.of("V3", "a", "data", "v1", "v1b", "v2", "v02", "v10"), names);
    }

    @Test
    void humanSizesAsDockerPrintsThem() {
        assertEquals("0B", VolumeCommands.humanSize(0));
        assertEquals("999B", VolumeCommands.humanSize(999));
        assertEquals("12.5kB", VolumeCommands.humanSize(12_500));
        assertEquals("1.049MB", VolumeCommands.humanSize(1_048_576));
        assertEquals("2GB", VolumeCommands.humanSize(2_000_000_000L));
    }

    @Test
    void keyValueFlags() {
        assertEquals(Map.of("type", "tmpfs", "o", "size=1m,uid=0", "flag", ""),
                VolumeCommands.keyValues(List.of("type=tmpfs", "o=size=1m,uid=0", "flag"), "--opt"));
        assertEquals("invalid argument \"=x\" for \"--label\" flag: invalid key=value",
                assertThrows(JockerException.class, () -> VolumeCommands.keyValues(List.of("=x"), "--label")).getMessage());
    }

    @Test
    void inspectJsonIsGosMarshalIndent() throws Exception {
        Map<String, Object> volume = new java.util.LinkedHashMap<>();
        volume.put("Labels", Map.of());
        volume.put("Name", "data");
        volume.put("List", List.of());
        assertEquals("[\n    {\n        \"Labels\": {},\n        \"Name\": \"data\",\n        \"List\": []\n    }\n]",
                DockerJson.write(List.of(volume)));
    }
}
