package jocker.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExecTest {
    @TempDir
    Path dir;

    private Path file(String name, String perms) throws IOException {
        Path f = Files.createDirectories(dir.resolve("bin")).resolve(name);
        Files.writeString(f, "#!/bin/sh\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void aBareNameIsSearchedInPath() throws IOException {
        Path tool = file("tool", "rwxr-xr-x");
        assertEquals(tool.toString(), Exec.resolve("tool", "/nonexistent:" + dir.resolve("bin")));
    }

    @Test
    void aNonExecutableFileInPathIsSkipped() throws IOException {
        file("tool", "rw-r--r--");
        ExecFailure e = assertThrows(ExecFailure.class, () -> Exec.resolve("tool", dir.resolve("bin").toString()));
        assertEquals(127, e.exitCode());
        assertEquals("exec: \"tool\": executable file not found in $PATH", e.getMessage());
    }

    @Test
    void aPathIsUsedAsItIs() throws IOException {
        Path tool = file("tool", "rwxr-xr-x");
        assertEquals(tool.toString(), Exec.resolve(tool.toString(), null));
    }

    @Test
    void aMissingPathIs127() {
        ExecFailure e = assertThrows(ExecFailure.class, () -> Exec.resolve("/no/such", null));
        assertEquals(127, e.exitCode());
        assertEquals("exec: \"/no/such\": stat /no/such: no such file or directory", e.getMessage());
    }

    @Test
    void aDirectoryOrNonExecutableIs126() throws IOException {
        assertEquals(126, assertThrows(ExecFailure.class, () -> Exec.resolve(dir.toString(), null)).exitCode());
        Path data = file("data", "rw-r--r--");
        assertEquals(126, assertThrows(ExecFailure.class, () -> Exec.resolve(data.toString(), null)).exitCode());
    }

    @Test
    void withoutPathTheDefaultPathIsSearched() {
        assertEquals("/bin/sh", Exec.resolve("sh", null).replace("/usr/bin/sh", "/bin/sh"));
    }
}
