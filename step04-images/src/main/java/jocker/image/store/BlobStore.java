package jocker.image.store;

import jocker.image.Digest;
import jocker.sys.JockerException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Blobs by digest, as an OCI image layout keeps them: blobs/sha256/HEX.
 * A blob is written to a temporary file while its digest is computed, and
 * renamed into place only if the digest (and size) are what was promised:
 * a blob under its name is always its content, and an interrupted or
 * corrupted download leaves nothing.
 */
public final class BlobStore {
    private final Path dir;

    BlobStore(Path layoutDir) {
        this.dir = layoutDir.resolve("blobs").resolve("sha256");
    }

    public Path path(Digest digest) {
        return dir.resolve(digest.hex());
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public byte[] read(Digest digest) throws IOException {
        byte[] bytes = Files.readAllBytes(path(digest));
        if (!Digest.of(bytes).equals(digest)) {
            throw new JockerException("blob " + digest + " in the store is corrupt: its content has digest " + Digest.of(bytes));
        }
        return bytes;
    }

    public Digest put(byte[] bytes) throws IOException {
        return put(new java.io.ByteArrayInputStream(bytes), Digest.of(bytes), bytes.length, "blob");
    }

    // tag::put[]
    /**
     * Stores what in yields, if it has the digest (and, when known, the
     * size) expected; what names it in errors. A null expected digest stores
     * it under whatever digest it has.
     */
    public Digest put(InputStream in, Digest expected, long expectedSize, String what) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir.getParent(), ".incoming-", "");
        try {
            MessageDigest sha = Digest.sha256();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            Digest actual = Digest.of(sha);
            if (expected != null && !actual.equals(expected)) {
                throw new JockerException(what + ": digest mismatch: expected " + expected + ", got " + actual
                        + (expectedSize >= 0 && size != expectedSize ? " (" + size + " of " + expectedSize + " bytes)" : ""));
            }
            if (expectedSize >= 0 && size != expectedSize) {
                throw new JockerException(what + ": size mismatch: expected " + expectedSize + " bytes, got " + size);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, path(actual), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return actual;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
    // end::put[]

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    public long size(Digest digest) throws IOException {
        return Files.size(path(digest));
    }
}
