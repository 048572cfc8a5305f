package jocker.layers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A layer's id, derived from its content: SHA-256 over every entry in path
 * order (name, type, mode, owner, and the content, link target or device
 * number), so the same files give the same id and any change gives
 * another. Modification times are left out: two copies of the same files
 * are the same layer.
 */
public final class LayerDigest {
    private LayerDigest() {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    public static String of(Path dir) throws IOException {
        MessageDigest tree = sha256();
        List<Path> entries;
        try (Stream<Path> all = Files.walk(dir)) {
            entries = all.sorted().toList();
        }
        for (Path p : entries) {
            String rel = dir.relativize(p).toString();
            int mode = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
            StringBuilder line = new StringBuilder()
                    .append(rel).append('\0').append(Integer.toOctalString(mode)).append('\0')
                    .append(Files.getAttribute(p, "unix:uid", NOFOLLOW)).append(':')
                    .append(Files.getAttribute(p, "unix:gid", NOFOLLOW)).append('\0');
            if (Files.isSymbolicLink(p)) {
                line.append(Files.readSymbolicLink(p));
            } else if (Files.isRegularFile(p, NOFOLLOW)) {
                line.append(contentHash(p));
            } else if (!Files.isDirectory(p, NOFOLLOW)) {
                line.append(Files.getAttribute(p, "unix:rdev", NOFOLLOW));
            }
            Map<String, byte[]> xattrs = new TreeMap<>(Xattrs.read(p));
            xattrs.forEach((k, v) -> line.append('\0').append(k).append('=').append(HexFormat.of().formatHex(v)));
            tree.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(tree.digest());
    }

    private static String contentHash(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
