package jocker.image.store;

import jocker.layers.NamedOutputStream;
import jocker.layers.Scratch;
import jocker.image.Digest;
import jocker.sys.JockerException;

import java.io.FilterInputStream;
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
        try (Incoming incoming = incoming(expected, expectedSize, what)) {
            incoming.through(in).transferTo(OutputStream.nullOutputStream());
            return incoming.commit();
        }
    }

    /** Removes the downloads of killed commands (see Scratch). */
    public void collectScratch() throws IOException {
        Scratch.collect(dir.getParent());
    }

    /** A blob on its way in: {@link #through} keeps and hashes what is read; {@link #commit} checks and stores it. */
    public Incoming incoming(Digest expected, long expectedSize, String what) throws IOException {
        Files.createDirectories(dir);
        return new Incoming(Scratch.file(dir.getParent(), "incoming", ""), expected, expectedSize, what);
    }

    public final class Incoming implements AutoCloseable {
        private final Path tmp;
        private final OutputStream out;
        private final MessageDigest sha = Digest.sha256();
        private final Digest expected;
        private final long expectedSize;
        private final String what;
        private long size;
        private InputStream source;

        private Incoming(Path tmp, Digest expected, long expectedSize, String what) throws IOException {
            this.tmp = tmp;
            // whole megabytes at a time: a write that ends inside a new page makes the kernel zero the rest first
            this.out = new java.io.BufferedOutputStream(new NamedOutputStream(Files.newOutputStream(tmp),
                    what + ": cannot store it in " + tmp.getParent()), 1 << 20);
            this.expected = expected;
            this.expectedSize = expectedSize;
            this.what = what;
        }

        /** in, with every byte read from it also hashed and written to the blob's temporary file; in is closed with this. */
        public InputStream through(InputStream in) {
            source = in;
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        sha.update(b, off, n);
                        out.write(b, off, n);
                        size += n;
                        if (expectedSize >= 0 && size > expectedSize) {
                            throw new JockerException(what + ": size mismatch: more than the " + expectedSize
                                    + " bytes announced");
                        }
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192)); // skipped bytes count too
                }

                @Override
                public void close() {
                    // a reader that gives up closes this; the source stays open for failure(), close() closes it
                }
            };
        }

        /** Once everything was read: checks digest and size, syncs, and renames the blob into place. */
        public Digest commit() throws IOException {
            out.close();
            Digest actual = Digest.of(sha);
            JockerException wrong = mismatch(actual);
            if (wrong != null) {
                throw wrong;
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, path(actual), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return actual;
        }

        /**
         * What to throw when reading the bytes (unpacking them, say) failed: if
         * the rest of them, read through, do not have the digest expected, the
         * bytes were wrong and that is the cause; if they do, the failure is.
         * An IOException is thrown here, anything else returned to throw.
         */
        public RuntimeException failure(InputStream in, Exception failure) throws IOException {
            Exception cause = failure;
            try {
                in.transferTo(OutputStream.nullOutputStream());
                JockerException wrong = mismatch(Digest.of(sha));
                cause = wrong != null ? wrong : failure;
            } catch (JockerException tooLong) {
                cause = tooLong;
            } catch (IOException unreadable) {
                // the failure stands
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            return (RuntimeException) cause;
        }

        private JockerException mismatch(Digest actual) {
            if (expected != null && !actual.equals(expected)) {
                return new JockerException(what + ": digest mismatch: expected " + expected + ", got " + actual
                        + (expectedSize >= 0 && size != expectedSize ? " (" + size + " of " + expectedSize + " bytes)" : ""));
            }
            if (expectedSize >= 0 && size != expectedSize) {
                return new JockerException(what + ": size mismatch: expected " + expectedSize + " bytes, got " + size);
            }
            return null;
        }

        /** Removes the temporary file if the blob was not committed. */
        @Override
        public void close() throws IOException {
            try (InputStream in = source; out) {
                Files.deleteIfExists(tmp);
            }
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
