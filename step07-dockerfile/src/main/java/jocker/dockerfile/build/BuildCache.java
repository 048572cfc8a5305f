package jocker.dockerfile.build;

import jocker.image.Digest;
import jocker.sys.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

// tag::cache[]
/**
 * The build cache: for each step built, the image it made, under a key of
 * what decides it: the parent image, the instruction with its words
 * expanded (and for RUN the build args and network it ran with), and for
 * COPY and ADD the digest of the files copied. A step with the same key
 * is the same step: its image is used again, so a rebuild gives the same
 * image ids.
 */
final class BuildCache {
    private final Path dir;

    BuildCache(Path dir) {
        this.dir = dir;
    }

    static String key(String parent, String command, String shown, String extra) {
        return Builder.sha256((parent + "\n" + command + "\n" + shown + "\n" + extra).getBytes(StandardCharsets.UTF_8));
    }

    Digest get(String key) throws IOException {
        Path f = dir.resolve(key);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return Digest.parse(Files.readString(f).trim());
    }

    void put(String key, Digest image) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(dir.resolve(key), image.toString().getBytes(StandardCharsets.UTF_8));
    }
}
// end::cache[]
