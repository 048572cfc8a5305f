package jocker.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Signals named as runc and docker take them. */
class SignalsTest {
    @Test
    void namesNumbersAndRealtimeSignals() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(9, Signals.parse("kill"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(28, Signals.parse("SIGWINCH"));
        assertEquals(6, Signals.parse("IOT"));
        assertEquals(34, Signals.parse("RTMIN"));
        assertEquals(37, Signals.parse("SIGRTMIN+3"));
        assertEquals(62, Signals.parse("RTMAX-2"));
        assertEquals(64, Signals.parse("64"));
    }

    @Test
    void anythingElseIsRefusedByName() {
        for (String bad : new String[] {"NOPE", "0", "65", "-9", "RTMIN+40", "RTMAX-40", "", "SIG"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.parse(bad), bad);
            assertEquals("invalid signal \"" + bad + "\"", e.getMessage());
        }
    }
}
