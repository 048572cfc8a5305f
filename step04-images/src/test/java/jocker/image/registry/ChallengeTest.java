package jocker.image.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChallengeTest {
    @Test
    void bearerChallengesParse() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertEquals("bearer", c.scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/busybox:pull"), c.params());
    }

    @Test
    void basicChallengesParse() {
        assertEquals(new Challenge("basic", Map.of("realm", "jocker-test")), Challenge.parse("Basic realm=\"jocker-test\""));
        assertEquals("basic", Challenge.parse("Basic").scheme());
    }

    @Test
    void onlyLocalOrListedRegistriesMaySpeakPlainHttp() {
        assertTrue(RegistryHttp.isInsecure("localhost:5000", Set.of()));
        assertTrue(RegistryHttp.isInsecure("127.0.0.1:5000", Set.of()));
        assertFalse(RegistryHttp.isInsecure("registry.example.com", Set.of()));
        assertTrue(RegistryHttp.isInsecure("registry.example.com:5000", Set.of("registry.example.com:5000")));
        assertEquals("registry-1.docker.io", RegistryClient.host("docker.io"));
    }
}
