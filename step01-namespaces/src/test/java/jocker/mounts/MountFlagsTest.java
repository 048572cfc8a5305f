package jocker.mounts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static jocker.mounts.MountFlags.MS_BIND;
import static jocker.mounts.MountFlags.MS_NODEV;
import static jocker.mounts.MountFlags.MS_NOEXEC;
import static jocker.mounts.MountFlags.MS_NOSUID;
import static jocker.mounts.MountFlags.MS_PRIVATE;
import static jocker.mounts.MountFlags.MS_RDONLY;
import static jocker.mounts.MountFlags.MS_REC;
import static jocker.mounts.MountFlags.MS_STRICTATIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountFlagsTest {

    @Test
    void wordsBecomeFlagsAndTheRestBecomesData() {
        MountFlags.Parsed p = MountFlags.parse(List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        assertEquals(MS_NOSUID | MS_STRICTATIME, p.flags());
        assertEquals("mode=755,size=65536k", p.data());
        assertEquals(0, p.propagation());
    }

    @Test
    void laterWordsWin() {
        assertEquals(0, MountFlags.parse(List.of("ro", "rw")).flags());
        assertEquals(MS_RDONLY, MountFlags.parse(List.of("rw", "ro")).flags());
        assertEquals(MS_NODEV, MountFlags.parse(List.of("nosuid", "nodev", "suid")).flags());
    }

    @Test
    void bindAndRbind() {
        assertTrue(MountFlags.parse(List.of("bind")).isBind());
        assertEquals(MS_BIND | MS_REC, MountFlags.parse(List.of("rbind", "noexec")).flags() & ~MS_NOEXEC);
        assertFalse(MountFlags.parse(List.of("ro")).isBind());
    }

    @Test
    void rroIsReadOnlyAndAsksForTheWholeTree() {
        long f = MountFlags.parse(List.of("rbind", "rro")).flags();
        assertEquals(MS_BIND | MS_REC | MS_RDONLY | MountFlags.RECURSIVE_RDONLY, f);
        assertTrue(MountFlags.RECURSIVE_RDONLY > 0xffffffffL, "out of mount(2)'s 32-bit flags, never passed to it");
    }

    @Test
    void propagationIsKeptApart() {
        MountFlags.Parsed p = MountFlags.parse(List.of("rprivate", "ro"));
        assertEquals(MS_PRIVATE | MS_REC, p.propagation());
        assertEquals(MS_RDONLY, p.flags());
        assertEquals(null, p.data());
    }

    @Test
    void noOptions() {
        assertEquals(new MountFlags.Parsed(0, 0, null), MountFlags.parse(List.of()));
        assertEquals(new MountFlags.Parsed(0, 0, null), MountFlags.parse(List.of("defaults", "")));
    }

    @Test
    void lockedFlagsAreTheOnesStatfsReports() {
        assertEquals(MS_NOSUID | MS_NODEV | MS_NOEXEC, MountFlags.LOCKED_FLAGS);
    }
}
