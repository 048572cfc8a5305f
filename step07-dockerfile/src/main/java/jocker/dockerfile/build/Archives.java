package jocker.dockerfile.build;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

/** ADD's local archives: a tar, plain or compressed (gzip, bzip2, xz), is unpacked at the destination. */
final class Archives {
    private Archives() {}

    static boolean isArchive(Path p) throws IOException {
        try (InputStream in = open(p)) {
            byte[] header = in.readNBytes(512);
            return header.length == 512 && new String(header, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException e) {
            return false;
        }
    }

    private static InputStream open(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p));
        try {
            CompressorStreamFactory.detect(in);
            return new CompressorStreamFactory().createCompressorInputStream(in);
        } catch (CompressorException e) {
            return in; // not compressed
        }
    }

    /** Unpacks the archive into dir, owners and modes as the archive has them, nothing outside dir. */
    static void extract(Path archive, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(archive))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path to = dir.resolve(e.getName()).normalize();
                if (!to.startsWith(dir)) {
                    continue; // ../ in an archive never leaves the destination
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(to.getParent());
                    Files.deleteIfExists(to);
                    Files.createSymbolicLink(to, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Path target = dir.resolve(e.getLinkName()).normalize();
                    if (target.startsWith(dir)) {
                        Files.createDirectories(to.getParent());
                        Files.deleteIfExists(to);
                        Files.createLink(to, target);
                    }
                    continue;
                } else if (e.isFile()) {
                    Files.createDirectories(to.getParent());
                    Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue; // devices and fifos are not unpacked
                }
                Files.setAttribute(to, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(to, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
                if (!e.isSymbolicLink()) {
                    Files.setAttribute(to, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
                    Files.setLastModifiedTime(to, FileTime.from(e.getLastModifiedDate().toInstant()));
                }
            }
        }
    }
}
