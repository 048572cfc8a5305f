package jocker.image.store;

import jocker.image.Digest;
import jocker.image.ReadAhead;
import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobStoreTest {
    private static final byte[] BLOB = new byte[3 << 18];

    static {
        new Random(7).nextBytes(BLOB);
    }

    /** The first n bytes of BLOB, then what a full disk throws. */
    private static InputStream failingAfter(int n, IOException failure) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == n) {
                    throw failure;
                }
                int k = Math.min(len, n - pos);
                System.arraycopy(BLOB, pos, b, off, k);
                pos += k;
                return k;
            }
        };
    }

    @Test
    void aWholeBlobIsStoredUnderItsDigestAndAWrongOneIsNot(@TempDir Path dir) throws IOException {
        BlobStore blobs = new BlobStore(dir);
        Digest digest = Digest.of(BLOB);
        assertEquals(digest, blobs.put(new ByteArrayInputStream(BLOB), digest, BLOB.length, "layer x"));
        assertTrue(blobs.contains(digest));

        BlobStore other = new BlobStore(dir.resolve("other"));
        byte[] tampered = BLOB.clone();
        tampered[5] ^= 1;
        JockerException e = assertThrows(JockerException.class,
                () -> other.put(new ByteArrayInputStream(tampered), digest, BLOB.length, "layer x"));
        assertTrue(e.getMessage().startsWith("layer x: digest mismatch: expected " + digest), e.getMessage());
        assertFalse(other.contains(digest));
    }

    @Test
    void whenTheStreamItselfFailedThatFailureStandsNotADigestOfTheBytesBeforeIt(@TempDir Path dir) throws IOException {
        // a full disk fails the blob's copy, read ahead of the unpacker: the unpacker gets that failure,
        // and reading "the rest" to judge the bytes must give it again, not a short stream's wrong digest
        IOException full = new IOException("layer x: cannot store it in " + dir + ": No space left on device");
        BlobStore blobs = new BlobStore(dir);
        try (BlobStore.Incoming incoming = blobs.incoming(Digest.of(BLOB), BLOB.length, "layer x");
             InputStream in = new ReadAhead(incoming.through(failingAfter(1 << 18, full)), "test")) {
            IOException unpacking = assertThrows(IOException.class, () -> in.transferTo(OutputStream.nullOutputStream()));
            assertEquals(full.getMessage(), assertThrows(IOException.class, () -> {
                throw incoming.failure(in, unpacking);
            }).getMessage());
        }
        try (var left = Files.list(dir.resolve("blobs"))) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".incoming")).count(),
                    "no temporary file left");
        }
    }

    @Test
    void whenTheRestOfTheBytesAreWrongTheyAreTheCauseOfAnUnpackFailure(@TempDir Path dir) throws IOException {
        byte[] tampered = BLOB.clone();
        tampered[BLOB.length - 1] ^= 1;
        BlobStore blobs = new BlobStore(dir);
        try (BlobStore.Incoming incoming = blobs.incoming(Digest.of(BLOB), BLOB.length, "layer x");
             InputStream in = new ReadAhead(incoming.through(new ByteArrayInputStream(tampered)), "test")) {
            in.readNBytes(1000);
            RuntimeException cause = incoming.failure(in, new JockerException("not a tar"));
            assertTrue(cause.getMessage().startsWith("layer x: digest mismatch"), cause.getMessage());
        }
    }

    @Test
    void whenTheBytesAreRightTheUnpackFailureStands(@TempDir Path dir) throws IOException {
        BlobStore blobs = new BlobStore(dir);
        try (BlobStore.Incoming incoming = blobs.incoming(Digest.of(BLOB), BLOB.length, "layer x");
             InputStream in = new ReadAhead(incoming.through(new ByteArrayInputStream(BLOB)), "test")) {
            in.readNBytes(1000);
            assertEquals("cannot write /noise: No space left on device",
                    incoming.failure(in, new JockerException("cannot write /noise: No space left on device")).getMessage());
        }
    }
}
