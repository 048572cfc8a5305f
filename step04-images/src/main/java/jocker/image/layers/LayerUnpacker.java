package jocker.image.layers;

import com.sun.jna.LastErrorException;
import jocker.image.Digest;
import jocker.image.ReadAhead;
import jocker.layers.NamedOutputStream;
import jocker.layers.LayerStore;
import jocker.layers.TreeCopy;
import jocker.layers.Whiteouts;
import jocker.layers.Xattrs;
import jocker.sys.FileCalls;
import jocker.sys.JockerException;
import jocker.sys.LibC;
import jocker.sys.SysException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Unpacks an image layer (a tar, plain, gzip or zstd) into a new layer of
 * step 3's store, named by its diff id (the digest of the uncompressed tar),
 * so a layer shared by many images is unpacked once.
 *
 * <p>A layer comes from anyone on the internet. Nothing in it may write
 * outside the layer directory, and an entry that tries is refused with its
 * name, which rejects the whole layer (nothing of it is kept):
 * <ul>
 * <li>a name with ".." in it;</li>
 * <li>an entry below a symbolic link ("lib -> /etc" then "lib/passwd"
 *     would follow the link out of the layer when written);</li>
 * <li>a hard link to anything but a file this layer already holds.</li>
 * </ul>
 * An absolute name is read as relative to the layer, as docker does.
 * OCI whiteouts become overlay's: ".wh.NAME" a 0/0 character device,
 * ".wh..wh..opq" the opaque attribute on its directory.
 */
public final class LayerUnpacker {
    private LayerUnpacker() {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    /** What was unpacked: the layer, and the size of its uncompressed tar. */
    public record Unpacked(LayerStore.Layer layer, Digest diffId, long size) {
    }

    /** Work to do once the whole blob was read, before the layer is published: a download's digest check. */
    public interface WhenRead {
        void run() throws IOException;
    }

    /**
     * @param expectedDiffId the config's diff id for this layer, checked; null to accept any
     * @param what           names the layer in errors ("layer sha256:ab12...")
     */
    public static Unpacked unpack(LayerStore store, InputStream blob, Digest expectedDiffId, String what) throws IOException {
        return unpack(store, blob, expectedDiffId, what, () -> { });
    }

    /** The same, from a blob still arriving: whenRead runs once all of it was read, and can refuse it. */
    public static Unpacked unpack(LayerStore store, InputStream blob, Digest expectedDiffId, String what, WhenRead whenRead)
            throws IOException {
        Path tmp = store.newLayerDirectory();
        try {
            Path diff = tmp.resolve("diff");
            MessageDigest sha = Digest.sha256();
            long[] size = {0};
            // gunzip and the diff id's hash run a thread of their own, ahead of the files written here
            InputStream tarBytes = new ReadAhead(new DigestInputStream(Compression.decompress(leftOpen(blob)), sha),
                    "unpack " + what);
            InputStream counted = new java.io.FilterInputStream(tarBytes) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        size[0] += n;
                    }
                    return n;
                }
            };
            Extraction into = new Extraction(diff, what);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(counted, StandardCharsets.UTF_8.name())) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    into.extract(e, tar);
                }
                counted.transferTo(java.io.OutputStream.nullOutputStream()); // the end blocks count in the diff id
                blob.transferTo(java.io.OutputStream.nullOutputStream()); // what follows the compressed stream, if anything
            }
            whenRead.run();
            into.setDirectoryTimes();
            Digest diffId = Digest.of(sha);
            checkDiffId(what, expectedDiffId, diffId);
            Files.writeString(tmp.resolve("size"), Long.toString(size[0]));
            if (store.contains(diffId.hex())) {
                return new Unpacked(store.get(diffId.hex()), diffId, size[0]);
            }
            return new Unpacked(store.publish(diffId.hex(), tmp), diffId, size[0]);
        } finally {
            TreeCopy.deleteTree(tmp);
        }
    }

    /** in, with close() doing nothing: the caller, who opened it, closes it. */
    private static InputStream leftOpen(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // not ours to close
            }
        };
    }

    /** Refuses a layer whose content is not what the image's config says it is (null: anything goes). */
    public static void checkDiffId(String what, Digest expected, Digest actual) {
        if (expected != null && !actual.equals(expected)) {
            throw new JockerException(what + ": its content does not match the image's diff id: expected "
                    + expected + ", got " + actual);
        }
    }

    // tag::safe-path[]
    /** The entry's path inside the layer, after the checks that keep it there. */
    public static Path safePath(Path diff, String name, String what) throws IOException {
        return safePath(diff, name, what, new HashSet<>());
    }

    /** The same, skipping the checks of directories in checked (and adding those it checks). */
    private static Path safePath(Path diff, String name, String what, Set<Path> checked) throws IOException {
        String rel = name;
        while (rel.startsWith("/") || rel.startsWith("./")) {
            rel = rel.startsWith("/") ? rel.substring(1) : rel.substring(2);
        }
        while (rel.endsWith("/")) {
            rel = rel.substring(0, rel.length() - 1);
        }
        if (rel.isEmpty() || rel.equals(".")) {
            return diff;
        }
        for (String part : rel.split("/")) {
            if (part.equals("..")) {
                throw new JockerException(what + ": entry \"" + name + "\" leaves the layer (\"..\")");
            }
        }
        Path target = diff.resolve(rel);
        // every directory on the way must be a real directory, not a symlink that leads elsewhere
        Path parent = diff;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty() || parts[i].equals(".")) {
                continue;
            }
            parent = parent.resolve(parts[i]);
            if (checked.contains(parent)) {
                continue;
            }
            if (Files.isSymbolicLink(parent)) {
                throw new JockerException(what + ": entry \"" + name + "\" is below a symbolic link ("
                        + diff.relativize(parent) + " -> " + Files.readSymbolicLink(parent) + ")");
            }
            if (!Files.exists(parent, NOFOLLOW)) {
                Files.createDirectory(parent); // docker makes missing parents too
            } else if (!Files.isDirectory(parent, NOFOLLOW)) {
                throw new JockerException(what + ": entry \"" + name + "\" is below " + diff.relativize(parent)
                        + ", which is not a directory");
            }
            checked.add(parent);
        }
        return target;
    }
    // end::safe-path[]

    /** A directory's time, set once everything in it is written (writing in it changes it). */
    private record DirTime(Path path, long nanos) {
    }

    /** One layer's entries going into its directory, with what is learnt on the way. */
    private static final class Extraction {
        private final Path diff;
        private final String what;
        private final List<DirTime> dirTimes = new ArrayList<>();
        private final Set<Path> checkedDirs = new HashSet<>(); // real directories of this layer: no need to look again
        private final byte[] buffer = new byte[1 << 20];

        Extraction(Path diff, String what) {
            this.diff = diff;
            this.what = what;
        }

        void extract(TarArchiveEntry e, InputStream content) throws IOException {
            String name = e.getName();
            Path target = safePath(diff, name, what, checkedDirs);
            if (target.equals(diff)) {
                applyMetadata(diff, e);
                dirTimes.add(new DirTime(diff, e.getLastModifiedTime().to(TimeUnit.NANOSECONDS)));
                return;
            }
            String base = target.getFileName().toString();
            if (base.equals(OPAQUE)) {
                Xattrs.set(target.getParent(), Whiteouts.OPAQUE_XATTR, new byte[] {'y'});
                return;
            }
            if (base.startsWith(WHITEOUT + WHITEOUT)) {
                return; // other AUFS metadata: not part of the filesystem
            }
            if (base.startsWith(WHITEOUT)) {
                String hiddenName = base.substring(WHITEOUT.length());
                if (hiddenName.isEmpty() || hiddenName.equals(".") || hiddenName.equals("..")) {
                    // checked before anything is removed: ".wh.." would otherwise empty its own directory
                    throw new JockerException(what + ": whiteout entry \"" + name + "\" names no file");
                }
                Path hidden = target.resolveSibling(hiddenName);
                remove(hidden);
                mknod(hidden, S_IFCHR, 0); // overlay's whiteout
                return;
            }
            if (e.isDirectory()) {
                if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
                    remove(target);
                }
                if (!Files.isDirectory(target, NOFOLLOW)) {
                    Files.createDirectory(target);
                }
                applyMetadata(target, e);
                dirTimes.add(new DirTime(target, e.getLastModifiedTime().to(TimeUnit.NANOSECONDS)));
                return;
            }
            if (Files.exists(target, NOFOLLOW)) {
                remove(target); // a later entry replaces an earlier one
            }
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                JockerException notHere = new JockerException(what + ": entry \"" + name + "\" is a hard link to \""
                        + e.getLinkName() + "\", which is not a file this layer holds");
                Path source;
                try {
                    source = safePath(diff, e.getLinkName(), what, checkedDirs);
                } catch (JockerException outside) {
                    throw notHere;
                }
                if (!Files.isRegularFile(source, NOFOLLOW)) {
                    throw notHere;
                }
                Files.createLink(target, source);
                return; // a hard link shares the first name's metadata
            } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                int type = e.isCharacterDevice() ? S_IFCHR : e.isBlockDevice() ? S_IFBLK : S_IFIFO;
                mknod(target, type, makedev(e.getDevMajor(), e.getDevMinor()));
            } else {
                write(content, target);
            }
            applyMetadata(target, e);
            setTime(target, e.getLastModifiedTime().to(TimeUnit.NANOSECONDS));
        }

        /**
         * Removes what a later entry replaces, and forgets what was known of
         * the directories that go with it: their times, set at the end, would
         * land on whatever took their place (through a symlink, even on the host).
         */
        private void remove(Path path) throws IOException {
            TreeCopy.deleteTree(path);
            dirTimes.removeIf(d -> d.path().startsWith(path));
            checkedDirs.removeIf(d -> d.startsWith(path));
        }

        /** The file's bytes in writes of up to a megabyte: a write that ends inside a new page costs zeroing it. */
        private void write(InputStream content, Path target) throws IOException {
            try (OutputStream out = new NamedOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), what + ": cannot write /" + diff.relativize(target))) {
                for (int n; (n = content.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                    out.write(buffer, 0, n);
                }
            }
        }

        /** Last, and in reverse order, contents before their directory: writing into a directory changes its time. */
        void setDirectoryTimes() {
            for (int i = dirTimes.size() - 1; i >= 0; i--) {
                setTime(dirTimes.get(i).path(), dirTimes.get(i).nanos());
            }
        }
    }

    private static void applyMetadata(Path target, TarArchiveEntry e) {
        try {
            FileCalls.lchown(target.toString(), (int) e.getLongUserId(), (int) e.getLongGroupId());
            if (!e.isSymbolicLink()) {
                FileCalls.chmod(target.toString(), e.getMode() & 07777);
            }
        } catch (LastErrorException ex) {
            throw SysException.of(ex, "set owner and mode of " + target);
        }
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            if (h.getKey().startsWith("SCHILY.xattr.")) {
                Xattrs.set(target, h.getKey().substring(13), h.getValue().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void mknod(Path path, int type, long device) {
        try {
            LibC.mknodat(AT_FDCWD, path.toString(), type | (device == 0 && type == S_IFCHR ? 0 : 0600), device);
        } catch (LastErrorException e) {
            throw SysException.of(e, "mknod " + path);
        }
    }

    private static void setTime(Path path, long nanos) {
        long[] times = {nanos / 1_000_000_000L, nanos % 1_000_000_000L, nanos / 1_000_000_000L, nanos % 1_000_000_000L};
        try {
            FileCalls.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw SysException.of(e, "set the time of " + path);
        }
    }

    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
