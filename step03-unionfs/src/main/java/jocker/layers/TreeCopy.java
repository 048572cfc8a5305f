package jocker.layers;

import com.sun.jna.LastErrorException;
import jocker.sys.FileCalls;
import jocker.sys.FileTree;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies a directory tree with everything a layer holds: owners, modes
 * (setuid included), modification times, symlinks, hard links, device
 * nodes, FIFOs and extended attributes.
 *
 * <p>Two ways: {@link Mode#PRESERVE} copies whiteouts and opaque marks as
 * they are (a layer into the store); {@link Mode#APPLY} carries them out
 * (the vfs driver stacking layers into one plain directory: a whiteout
 * deletes, an opaque directory empties what was there).
 */
public final class TreeCopy {
    private TreeCopy() {}

    public enum Mode { PRESERVE, APPLY }

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    public static void copy(Path from, Path to, Mode mode) throws IOException {
        Map<String, Path> hardLinks = new HashMap<>();
        Deque<Path[]> dirTimes = new ArrayDeque<>();
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
                    Files.delete(target);
                }
                if (mode == Mode.APPLY && Files.isDirectory(target, NOFOLLOW) && Whiteouts.isOpaque(dir)) {
                    deleteChildren(target); // an opaque directory hides what the layers below had in it
                }
                if (!Files.isDirectory(target, NOFOLLOW)) {
                    Files.createDirectory(target);
                }
                copyMetadata(dir, target, mode);
                dirTimes.push(new Path[] {dir, target});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                copyEntry(file, target, mode, hardLinks);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Path[] pair = dirTimes.pop();
                // after the children: creating them changed the directory's mtime
                copyTime(pair[0], pair[1]);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyEntry(Path file, Path target, Mode mode, Map<String, Path> hardLinks) throws IOException {
        int st = (Integer) Files.getAttribute(file, "unix:mode", NOFOLLOW);
        if (mode == Mode.APPLY && Whiteouts.isWhiteout(file)) {
            deleteTree(target);
            return;
        }
        if (Files.exists(target, NOFOLLOW) || Files.isSymbolicLink(target)) {
            deleteTree(target);
        }
        if (Files.isSymbolicLink(file)) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(file));
            chown(file, target);
            copyTime(file, target);
            return;
        }
        if (Files.isRegularFile(file, NOFOLLOW)) {
            int links = (Integer) Files.getAttribute(file, "unix:nlink", NOFOLLOW);
            if (links > 1) {
                String inode = Files.getAttribute(file, "unix:dev", NOFOLLOW) + ":" + Files.getAttribute(file, "unix:ino", NOFOLLOW);
                Path first = hardLinks.putIfAbsent(inode, target);
                if (first != null) {
                    Files.createLink(target, first);
                    return;
                }
            }
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } else {
            // device node, FIFO or socket (a whiteout, kept as it is, is a character device 0/0)
            long rdev = (Long) Files.getAttribute(file, "unix:rdev", NOFOLLOW);
            try {
                LibC.mknodat(AT_FDCWD, target.toString(), st, rdev);
            } catch (LastErrorException e) {
                throw SysException.of(e, "mknod " + target);
            }
        }
        copyMetadata(file, target, mode);
    }

    /** Owner, then mode (chown clears setuid bits), extended attributes, mtime. */
    private static void copyMetadata(Path from, Path to, Mode mode) throws IOException {
        chown(from, to);
        int st = (Integer) Files.getAttribute(from, "unix:mode", NOFOLLOW);
        try {
            FileCalls.chmod(to.toString(), st & 07777); // chmod(2) on the path: java.nio opens the file to do it
        } catch (LastErrorException e) {
            throw SysException.of(e, "chmod " + to);
        }
        for (Map.Entry<String, byte[]> x : Xattrs.read(from).entrySet()) {
            if (mode == Mode.APPLY && x.getKey().startsWith("trusted.overlay.")) {
                continue; // carried out, not copied
            }
            Xattrs.set(to, x.getKey(), x.getValue());
        }
        if (!Files.isDirectory(from, NOFOLLOW)) {
            copyTime(from, to);
        }
    }

    /**
     * The modification time, with utimensat(2) on the path itself: java.nio
     * cannot set a symlink's own time, and opens the file to set one (a
     * whiteout, device 0/0, cannot be opened).
     */
    private static void copyTime(Path from, Path to) throws IOException {
        long nanos = Files.getLastModifiedTime(from, NOFOLLOW).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        long[] times = {nanos / 1_000_000_000L, nanos % 1_000_000_000L, nanos / 1_000_000_000L, nanos % 1_000_000_000L};
        try {
            FileCalls.utimensat(AT_FDCWD, to.toString(), times, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw SysException.of(e, "set the time of " + to);
        }
    }

    private static void chown(Path from, Path to) throws IOException {
        int uid = (Integer) Files.getAttribute(from, "unix:uid", NOFOLLOW);
        int gid = (Integer) Files.getAttribute(from, "unix:gid", NOFOLLOW);
        try {
            FileCalls.lchown(to.toString(), uid, gid);
        } catch (LastErrorException e) {
            throw SysException.of(e, "chown " + to);
        }
    }

    private static void deleteChildren(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                deleteTree(child);
            }
        }
    }

    /** rm -rf, not following symlinks. */
    public static void deleteTree(Path path) throws IOException {
        FileTree.delete(path);
    }


}
