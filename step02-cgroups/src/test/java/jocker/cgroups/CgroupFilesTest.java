package jocker.cgroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupFilesTest {

    @Test
    void aCgroupThatIsGoneHasNoProcesses(@TempDir Path tmp) {
        assertEquals(List.of(), CgroupFiles.procs(tmp.resolve("removed")));
    }

    @Test
    void procsAreReadOnePerLine(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("cgroup.procs"), "12\n345\n\n");
        assertEquals(List.of(12L, 345L), CgroupFiles.procs(tmp));
    }

    @Test
    void aReadErrorOfACgroupThatStillExistsIsReported(@TempDir Path tmp) throws Exception {
        Files.createDirectory(tmp.resolve("cgroup.procs"));
        CgroupException e = assertThrows(CgroupException.class, () -> CgroupFiles.procs(tmp));
        assertTrue(e.getMessage().startsWith("cannot read " + tmp.resolve("cgroup.procs") + ": "), e.getMessage());
    }
}
