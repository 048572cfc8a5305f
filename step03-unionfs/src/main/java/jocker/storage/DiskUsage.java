package jocker.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** Bytes of disk a tree takes, as du(1) counts them: allocated blocks, each hard-linked file once. */
final class DiskUsage {
    private DiskUsage() {}

    static long of(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long bytes = 0;
        Set<Object> seen = new HashSet<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Object inode = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                if (seen.add(inode)) {
                    // st_blocks is not offered by java.nio; the size rounded up to 4 KiB blocks is close
                    long size = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? 4096
                            : (Long) Files.getAttribute(p, "unix:size", LinkOption.NOFOLLOW_LINKS);
                    bytes += (size + 4095) / 4096 * 4096;
                }
            }
        }
        return bytes;
    }
}
