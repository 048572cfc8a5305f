package jocker.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfTest {
    @Test
    void busyboxStaticIsStatic() throws IOException {
        assertTrue(Elf.isStatic(BusyboxRootfs.DEFAULT_BUSYBOX), "bin/test installs busybox-static");
    }

    @Test
    void aDynamicBinaryIsNot() throws IOException {
        assertFalse(Elf.isStatic(Path.of("/bin/ls")));
    }

    @Test
    void aTextFileIsNotElf(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho this is long enough to fill an ELF header...........\n");
        assertEquals(f + " is not an ELF binary", assertThrows(IOException.class, () -> Elf.isStatic(f)).getMessage());
    }
}
