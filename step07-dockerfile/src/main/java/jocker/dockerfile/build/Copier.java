package jocker.dockerfile.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/** Copies into a layer directory: files with their modes and times, owned as COPY asks (root unless --chown). */
final class Copier {
    private Copier() {}

    /** from (a file, a link or a directory's contents) to to; uid/gid null keep the owner, mode null the mode. */
    static void copy(Path from, Path to, Integer uid, Integer gid, Integer mode) throws IOException {
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(to);
            List<Path> children;
            try (Stream<Path> s = Files.list(from)) {
                children = s.toList();
            }
            for (Path c : children) {
                copy(c, to.resolve(c.getFileName().toString()), uid, gid, mode);
            }
            attributes(from, to);
            own(to, uid, gid, mode);
            return;
        }
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
        if (!Files.isSymbolicLink(to)) {
            Files.setAttribute(to, "unix:mode", mode(from), LinkOption.NOFOLLOW_LINKS);
        }
        own(to, uid, gid, mode);
    }

    /** A directory's mode and times, as the source has them. */
    static void attributes(Path from, Path to) throws IOException {
        Files.setAttribute(to, "unix:mode", mode(from), LinkOption.NOFOLLOW_LINKS);
        FileTime t = Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(to, t);
    }

    private static void own(Path p, Integer uid, Integer gid, Integer mode) throws IOException {
        if (uid != null) {
            Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
        if (mode != null && !Files.isSymbolicLink(p)) {
            Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        }
    }

    static int mode(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    /** The directories between the layer's root and the destination: root's, mode 755, as docker makes them. */
    static void parents(Path layerRoot, Path dest) throws IOException {
        for (Path p = dest.getParent(); p != null && p.startsWith(layerRoot) && !p.equals(layerRoot); p = p.getParent()) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.setAttribute(p, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
