package jocker.cgroups;

import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecException;
import jocker.spec.SpecFile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resources section travels in the spec step 1 defined, and back. */
class ResourcesTest {
    private final Resources sample = new Resources(new Resources.Memory(32L << 20, null, 64L << 20),
            new Resources.Cpu(512L, 50_000L, 100_000L, "0", null), new Resources.Pids(20), DeviceRules.DOCKER_DEFAULT);

    @Test
    void aSpecWithoutResourcesHasNone() {
        assertEquals(Resources.NONE, Resources.of(SpecBuilder.docker("/r", List.of("sh")).build()));
    }

    @Test
    void resourcesWrittenIntoASpecReadBackTheSame() {
        Spec spec = sample.into(SpecBuilder.docker("/r", List.of("sh")).build());
        assertEquals(sample, Resources.of(spec));
        // and through config.json, as the OCI spec writes it
        String json = SpecFile.toJson(spec);
        assertTrue(json.contains("\"resources\" : {"), json);
        assertTrue(json.contains("\"limit\" : 33554432"), json);
        assertEquals(sample, Resources.of(SpecFile.parse(json)));
    }

    @Test
    void runcsDefaultResourcesRead() {
        Spec spec = SpecFile.parse("{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}}}");
        assertEquals(new Resources(null, null, null, List.of(new Resources.DeviceRule(false, "a", null, null, "rwm"))),
                Resources.of(spec));
    }

    @Test
    void aMalformedSectionIsOneLine() {
        Spec spec = SpecFile.parse("{\"linux\":{\"resources\":{\"memory\":{\"limit\":\"lots\"}}}}");
        SpecException e = assertThrows(SpecException.class, () -> Resources.of(spec));
        assertTrue(e.getMessage().startsWith("linux.resources: "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }
}
