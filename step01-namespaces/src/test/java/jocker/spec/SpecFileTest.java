package jocker.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecFileTest {

    static String runcSpec() throws IOException {
        try (InputStream in = SpecFileTest.class.getResourceAsStream("/runc-spec-config.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheConfigThatRuncSpecWrites() throws IOException {
        Spec spec = SpecFile.parse(runcSpec());
        assertEquals("1.0.2-dev", spec.ociVersion());
        assertEquals(List.of("sh"), spec.process().args());
        assertTrue(spec.process().terminal());
        assertEquals("/", spec.process().cwd());
        assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"), spec.process().capabilities().bounding());
        assertEquals(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024), spec.process().rlimits().get(0));
        assertTrue(spec.process().noNewPrivileges());
        assertEquals(new Spec.Root("rootfs", true), spec.root());
        assertEquals("runc", spec.hostname());
        assertEquals(7, spec.mounts().size());
        assertEquals(new Spec.Mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")), spec.mounts().get(2));
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount"),
                spec.linux().namespaces().stream().map(Spec.LinuxNamespace::type).toList());
        assertEquals(10, spec.linux().maskedPaths().size());
        assertEquals(5, spec.linux().readonlyPaths().size());
    }

    @Test
    void keepsSectionsALaterStepReads() throws IOException {
        Spec spec = SpecFile.parse(runcSpec());
        assertEquals(Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"))),
                spec.linux().extensions().get("resources"));
        Spec again = SpecFile.parse(SpecFile.toJson(spec));
        assertEquals(spec, again, "a spec written and read back is the same spec");
    }

    @Test
    void unlimitedRlimitsReadAsMinusOne() {
        Spec spec = SpecFile.parse("{\"process\":{\"args\":[\"sh\"],\"rlimits\":[{\"type\":\"RLIMIT_CORE\","
                + "\"hard\":18446744073709551615,\"soft\":0}]}}");
        assertEquals(-1L, spec.process().rlimits().get(0).hard());
        assertTrue(SpecFile.toJson(spec).contains("18446744073709551615"));
    }

    @Test
    void aSyntaxErrorIsOneLineWithItsPosition() {
        SpecException e = assertThrows(SpecException.class, () -> SpecFile.parse("{\n \"process\": [,\n}"));
        assertTrue(e.getMessage().startsWith("bad spec: line 2, column "), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void aWrongTypeIsOneLine() {
        SpecException e = assertThrows(SpecException.class, () -> SpecFile.parse("{\"hostname\": [1]}"));
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        SpecException e = assertThrows(SpecException.class, () -> SpecFile.read(dir.resolve("config.json")));
        assertEquals(dir.resolve("config.json") + ": no such file", e.getMessage());
    }

    @Test
    void aFileIsReadWithItsNameInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "nope");
        SpecException e = assertThrows(SpecException.class, () -> SpecFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 1"), e.getMessage());
    }

    @Test
    void hasHooksLooksAtTheTopLevelOnly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, runcSpec());
        assertFalse(SpecFile.hasHooks(file), "runc's spec has none");
        Files.writeString(file, "{\"process\": {\"args\": [\"hooks\"], \"env\": [\"hooks=1\"]}, \"annotations\": {\"hooks\": \"x\"}}");
        assertFalse(SpecFile.hasHooks(file), "the word inside other sections is not a hooks section");
        Files.writeString(file, "{\"ociVersion\": \"1.0.2\", \"hooks\": {\"poststart\": [{\"path\": \"/bin/true\"}]}}");
        assertTrue(SpecFile.hasHooks(file));
        Files.writeString(file, "{\"hooks\": null}");
        assertFalse(SpecFile.hasHooks(file));
        for (String bad : List.of("nope", "[]", "{\"a\": ")) {
            Files.writeString(file, bad);
            assertTrue(SpecFile.hasHooks(file), "a bad file is left to read() to report: " + bad);
        }
        assertTrue(SpecFile.hasHooks(dir.resolve("missing.json")));
    }
}
