package jocker.image.layers;

import com.github.luben.zstd.ZstdOutputStream;
import jocker.image.Digest;
import jocker.layers.LayerStore;
import jocker.layers.Whiteouts;
import jocker.layers.Xattrs;
import jocker.testing.RootTest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One layer, plain, gzip and zstd: the same files, with everything a tar can say about them. */
@RootTest
class LayerUnpackerTest {
    private static final Instant WHEN = Instant.parse("2020-02-02T02:02:02Z");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;

    private static byte[] layer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry dir = new TarArchiveEntry("etc/");
            dir.setMode(0750);
            dir.setModTime(FileTime.from(WHEN));
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            byte[] data = "secret\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("etc/shadow");
            file.setSize(data.length);
            file.setMode(0640);
            file.setIds(1000, 42);
            file.setModTime(FileTime.from(WHEN));
            file.addPaxHeader("SCHILY.xattr.user.note", "kept");
            tar.putArchiveEntry(file);
            tar.write(data);
            tar.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("etc/shadow-", TarConstants.LF_LINK);
            hard.setLinkName("etc/shadow");
            tar.putArchiveEntry(hard);
            tar.closeArchiveEntry();
            TarArchiveEntry soft = new TarArchiveEntry("shadow", TarConstants.LF_SYMLINK);
            soft.setLinkName("/etc/shadow");
            tar.putArchiveEntry(soft);
            tar.closeArchiveEntry();
            TarArchiveEntry dev = new TarArchiveEntry("null", TarConstants.LF_CHR);
            dev.setDevMajor(1);
            dev.setDevMinor(3);
            dev.setMode(0666);
            tar.putArchiveEntry(dev);
            tar.closeArchiveEntry();
            TarArchiveEntry fifo = new TarArchiveEntry("pipe", TarConstants.LF_FIFO);
            fifo.setMode(0600);
            tar.putArchiveEntry(fifo);
            tar.closeArchiveEntry();
            for (String marker : new String[] {"etc/.wh.passwd", "var/.wh..wh..opq"}) {
                tar.putArchiveEntry(new TarArchiveEntry(marker));
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compressed(byte[] tar, Compressor c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bytes)) {
            out.write(tar);
        }
        return bytes.toByteArray();
    }

    @Test
    void plainGzipAndZstdGiveTheSameLayer() throws IOException {
        byte[] tar = layer();
        Digest diffId = Digest.of(tar);
        Map<String, byte[]> blobs = Map.of("plain", tar, "gzip", compressed(tar, GZIPOutputStream::new),
                "zstd", compressed(tar, ZstdOutputStream::new));
        for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
            LayerStore store = new LayerStore(tmp.resolve(blob.getKey()));
            LayerUnpacker.Unpacked u = LayerUnpacker.unpack(store, new ByteArrayInputStream(blob.getValue()), diffId,
                    "layer " + blob.getKey());
            assertEquals(diffId, u.diffId(), blob.getKey());
            assertEquals(tar.length, u.size(), blob.getKey());
            assertEquals(diffId.hex(), u.layer().id(), "a layer is stored under its diff id");
            check(u.layer().diff(), blob.getKey());
        }
    }

    private static void check(Path diff, String what) throws IOException {
        Path shadow = diff.resolve("etc/shadow");
        assertEquals("secret\n", Files.readString(shadow), what);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(shadow, NOFOLLOW)), what);
        assertEquals(1000, Files.getAttribute(shadow, "unix:uid", NOFOLLOW), what);
        assertEquals(42, Files.getAttribute(shadow, "unix:gid", NOFOLLOW), what);
        assertEquals(FileTime.from(WHEN), Files.getLastModifiedTime(shadow, NOFOLLOW), what);
        assertArrayEquals("kept".getBytes(StandardCharsets.UTF_8), Xattrs.get(shadow, "user.note"), what);
        assertEquals(Files.getAttribute(shadow, "unix:ino"), Files.getAttribute(diff.resolve("etc/shadow-"), "unix:ino"),
                what + ": a hard link");
        assertEquals(Path.of("/etc/shadow"), Files.readSymbolicLink(diff.resolve("shadow")), what);
        assertEquals(0x103L, ((Number) Files.getAttribute(diff.resolve("null"), "unix:rdev", NOFOLLOW)).longValue(),
                what + ": char device 1:3");
        assertTrue(Files.readAttributes(diff.resolve("pipe"), java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).isOther(),
                what + ": a fifo");
        assertTrue(Whiteouts.isWhiteout(diff.resolve("etc/passwd")), what + ": .wh.passwd became overlay's whiteout");
        assertFalse(Files.exists(diff.resolve("etc/.wh.passwd"), NOFOLLOW), what);
        assertTrue(Whiteouts.isOpaque(diff.resolve("var")), what + ": .wh..wh..opq became the opaque attribute");
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(diff.resolve("etc"))), what);
        assertEquals(FileTime.from(WHEN), Files.getLastModifiedTime(diff.resolve("etc")),
                what + ": a directory's time is set after its contents are written");
    }
}
