package jocker.storage;

import jocker.layers.Xattrs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a directory tree as a tar archive (docker export): paths relative
 * to the root, owners and modes and times, symlinks, hard links, devices,
 * FIFOs, and extended attributes as PAX "SCHILY.xattr." records.
 */
public final class TarExport {
    private TarExport() {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    /** A tar writer configured for layers: PAX headers for long names, big numbers and non-ASCII. */
    public static TarArchiveOutputStream open(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /** Writes an entry and, for a regular file, its content. */
    public static void put(TarArchiveOutputStream tar, TarArchiveEntry entry, Path p) throws IOException {
        tar.putArchiveEntry(entry);
        if (entry.isFile() && !entry.isLink() && entry.getSize() > 0) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    /**
     * The tar entry for file p, named name: type, mode, owner, time, link
     * target, device number, extended attributes. A second name of a
     * hard-linked file becomes a link to the first (hardLinks remembers
     * them); a socket gives null.
     */
    public static TarArchiveEntry entryFor(String name, Path p, Map<String, String> hardLinks) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(p)) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, NOFOLLOW)) {
            entry = new TarArchiveEntry(name + "/");
        } else if (Files.isRegularFile(p, NOFOLLOW)) {
            String inode = Files.getAttribute(p, "unix:dev", NOFOLLOW) + ":" + Files.getAttribute(p, "unix:ino", NOFOLLOW);
            String first = (Integer) Files.getAttribute(p, "unix:nlink", NOFOLLOW) > 1 ? hardLinks.putIfAbsent(inode, name) : null;
            if (first != null) {
                entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
                entry.setLinkName(first);
            } else {
                entry = new TarArchiveEntry(name);
                entry.setSize(Files.size(p));
            }
        } else {
            int type = mode & S_IFMT;
            byte flag = type == S_IFCHR ? TarConstants.LF_CHR : type == S_IFBLK ? TarConstants.LF_BLK
                    : type == S_IFIFO ? TarConstants.LF_FIFO : 0;
            if (flag == 0) {
                return null; // sockets do not go into archives
            }
            entry = new TarArchiveEntry(name, flag);
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", NOFOLLOW);
            entry.setDevMajor((int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL)));
            entry.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & ~0xffL)));
        }
        entry.setMode(mode & 07777);
        entry.setUserId((Integer) Files.getAttribute(p, "unix:uid", NOFOLLOW));
        entry.setGroupId((Integer) Files.getAttribute(p, "unix:gid", NOFOLLOW));
        entry.setModTime(Files.getLastModifiedTime(p, NOFOLLOW));
        for (Map.Entry<String, byte[]> x : Xattrs.read(p).entrySet()) {
            entry.addPaxHeader("SCHILY.xattr." + x.getKey(), new String(x.getValue(), StandardCharsets.ISO_8859_1));
        }
        return entry;
    }

    /** @return the number of entries written */
    public static int write(Path root, OutputStream out) throws IOException {
        int count = 0;
        Map<String, String> hardLinks = new HashMap<>();
        try (TarArchiveOutputStream tar = open(out)) {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(root)) {
                all = walk.filter(p -> !p.equals(root)).sorted().toList();
            }
            for (Path p : all) {
                TarArchiveEntry entry = entryFor(root.relativize(p).toString(), p, hardLinks);
                if (entry != null) {
                    put(tar, entry, p);
                    count++;
                }
            }
            tar.finish();
        }
        return count;
    }
}
