package jocker.dockerfile.build;

import jocker.storage.MergedLayers;
import jocker.sys.JockerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a COPY or ADD copies: each source, a file or a directory (whose
 * contents are copied), and the digest of all their files for the cache.
 */
record Sources(List<Source> files, String digest, Path temp) {
    /** One source: its name at the destination, where it is now, whether a directory, whether a tar archive. */
    record Source(String name, Path path, boolean directory, boolean archive) {
    }

    boolean anyDirectory() {
        return files.stream().anyMatch(Source::directory);
    }

    static Sources of(List<Source> files) throws IOException {
        MessageDigest d = digester();
        for (Source s : files) {
            hash(d, s.name(), s.path());
        }
        return new Sources(files, HexFormat.of().formatHex(d.digest()), null);
    }

    /** The files of an image's layers (COPY --from), each source an absolute path in its root. */
    static Sources fromLayers(MergedLayers merged, List<String> words) throws IOException {
        List<Source> out = new ArrayList<>();
        Path flat = null;
        for (String w : words) {
            String rel = DockerIgnore.clean("/" + w).substring(1);
            Path found = merged.entry(rel);
            if (found == null) {
                throw new JockerException("COPY failed: stat " + w + ": file does not exist");
            }
            if (Files.isDirectory(found, LinkOption.NOFOLLOW_LINKS)) {
                if (flat == null) {
                    flat = Files.createTempDirectory("jocker-copy-from");
                }
                Path dir = flat.resolve(String.valueOf(out.size()));
                flatten(merged, rel, dir);
                Copier.attributes(found, dir);
                out.add(new Source(name(rel), dir, true, false));
            } else {
                out.add(new Source(name(rel), found, false, false));
            }
        }
        Sources sources = of(out);
        return flat == null ? sources : new Sources(sources.files(), sources.digest(), flat);
    }

    /** A directory of the merged layers as one tree, on the host, for copying. */
    private static void flatten(MergedLayers merged, String rel, Path to) throws IOException {
        Files.createDirectories(to);
        for (Map.Entry<String, Path> e : merged.children(rel).entrySet()) {
            String child = rel.isEmpty() ? e.getKey() : rel + "/" + e.getKey();
            if (Files.isDirectory(e.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                flatten(merged, child, to.resolve(e.getKey()));
                Copier.attributes(e.getValue(), to.resolve(e.getKey()));
            } else {
                Copier.copy(e.getValue(), to.resolve(e.getKey()), null, null, null);
            }
        }
    }

    static String name(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? rel : rel.substring(slash + 1);
    }

    private static MessageDigest digester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names, modes, link targets and contents, in sorted order: what the copy depends on. */
    private static void hash(MessageDigest d, String name, Path p) throws IOException {
        d.update((name + "\0").getBytes());
        if (Files.isSymbolicLink(p)) {
            d.update(("l" + Files.readSymbolicLink(p) + "\0").getBytes());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            d.update(("d" + Copier.mode(p) + "\0").getBytes());
            TreeMap<String, Path> children = new TreeMap<>();
            try (Stream<Path> s = Files.list(p)) {
                s.forEach(c -> children.put(c.getFileName().toString(), c));
            }
            for (Map.Entry<String, Path> e : children.entrySet()) {
                hash(d, e.getKey(), e.getValue());
            }
        } else {
            d.update(("f" + Copier.mode(p) + "\0").getBytes());
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
        }
    }
}
