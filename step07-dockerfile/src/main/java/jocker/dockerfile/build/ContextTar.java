package jocker.dockerfile.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A context sent as a tar on stdin (docker build -), unpacked into a directory. */
public final class ContextTar {
    private ContextTar() {}

    public static void extract(InputStream in, Path dir) throws IOException {
        Path tar = Files.createTempFile("jocker-context", ".tar");
        try {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
            Archives.extract(tar, dir);
        } finally {
            Files.deleteIfExists(tar);
        }
    }
}
