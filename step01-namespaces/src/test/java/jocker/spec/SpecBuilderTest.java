package jocker.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecBuilderTest {

    @Test
    void environmentHasDockersOrderAndLaterValuesWin() {
        Spec spec = SpecBuilder.docker("/r", List.of("sh")).hostname("box")
                .env(List.of("A=1", "B=2", "A=3")).defaultHome("/root").build();
        assertEquals(List.of(SpecBuilder.DEFAULT_PATH, "HOSTNAME=box", "A=3", "B=2", "HOME=/root"), spec.process().env());
    }

    @Test
    void anExplicitHomeIsKept() {
        Spec spec = SpecBuilder.docker("/r", List.of("sh")).env(List.of("HOME=/x")).defaultHome("/root").build();
        assertTrue(spec.process().env().contains("HOME=/x"));
        assertTrue(!spec.process().env().contains("HOME=/root"));
    }

    @Test
    void pathCanBeReplaced() {
        Spec spec = SpecBuilder.docker("/r", List.of("sh")).env(List.of("PATH=/bin")).build();
        assertEquals("PATH=/bin", spec.process().env().get(0));
    }

    @Test
    void defaultsAreDockers() {
        Spec spec = SpecBuilder.docker("/r", List.of("sh")).build();
        assertEquals(6, spec.linux().namespaces().size());
        assertEquals(14, spec.process().capabilities().bounding().size());
        assertEquals("/proc", spec.mounts().get(0).destination());
        assertTrue(spec.linux().maskedPaths().contains("/proc/kcore"));
        assertTrue(spec.linux().readonlyPaths().contains("/proc/sys"));
        assertEquals("/", spec.process().cwd());
    }

    @Test
    void noCommandIsAnError() {
        assertEquals("no command given",
                assertThrows(SpecException.class, () -> SpecBuilder.docker("/r", List.of())).getMessage());
    }

    @Test
    void anEnvironmentEntryNeedsAKey() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecBuilder.docker("/r", List.of("sh")).env(List.of("=oops")));
        assertEquals("invalid environment variable \"=oops\" (want KEY=VALUE)", e.getMessage());
    }

    @Test
    void theWorkdirMustBeAbsolute() {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecBuilder.docker("/r", List.of("sh")).cwd("tmp"));
        assertEquals("the working directory \"tmp\" is invalid, it needs to be an absolute path", e.getMessage());
    }
}
