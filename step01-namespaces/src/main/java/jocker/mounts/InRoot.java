package jocker.mounts;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.nio.charset.StandardCharsets;

import static jocker.sys.Fd.O_CLOEXEC;
import static jocker.sys.Fd.O_CREAT;
import static jocker.sys.Fd.O_DIRECTORY;
import static jocker.sys.Fd.O_PATH;
import static jocker.sys.Fd.O_RDONLY;
import static jocker.sys.Fd.O_WRONLY;

/**
 * Opens and creates paths inside a root directory without ever leaving it.
 *
 * <p>A root filesystem is untrusted: {@code rootfs/dev} may be a symlink to
 * {@code /etc} on the host, and a naive {@code mkdir rootfs/dev/pts} would then
 * write to the host. openat2(2) with RESOLVE_IN_ROOT resolves every component,
 * symlinks included, as if the root directory were {@code /}, so no path can
 * climb out of it. The fds returned are O_PATH: mount(2) accepts
 * {@code /proc/self/fd/N} as a target and acts on exactly that directory.
 */
public final class InRoot {
    private InRoot() {}

    // struct open_how.resolve (linux/openat2.h)
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_IN_ROOT = 0x10;

    /** Opens a host path read-only, close-on-exec (a namespace file for setns(2), ...). */
    public static int openPath(String path) {
        try {
            return LibC.open(path, O_RDONLY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open " + path);
        }
    }

    /** Opens a root directory to resolve paths in. */
    public static int openRoot(String root) {
        try {
            return LibC.open(root, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open root " + root);
        }
    }

    /** Opens path (absolute or relative, read as inside rootFd) with openat2 RESOLVE_IN_ROOT. */
    public static int open(int rootFd, String path, int flags, int mode) {
        long[] how = {flags | O_CLOEXEC, mode, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
        try {
            return (int) LibC.syscall(LibC.SYS_OPENAT2, rootFd, relative(path), how, 24);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open " + path + " in root");
        }
    }

    /**
     * Like mkdir -p inside the root; returns an O_PATH fd of the directory.
     * A symlink on the way is followed inside the root, and what it points to
     * is made if missing, as docker makes a VOLUME or WORKDIR that an image
     * reaches through a link.
     */
    public static int mkdirs(int rootFd, String path, int mode) {
        return mkdirs(rootFd, path, mode, 0);
    }

    /** Links followed before giving up, as the kernel's own limit (ELOOP). */
    private static final int MAX_LINKS = 40;

    private static int mkdirs(int rootFd, String path, int mode, int links) {
        String rel = relative(path);
        if (rel.equals(".")) {
            return open(rootFd, ".", O_PATH | O_DIRECTORY, 0);
        }
        String[] parts = rel.split("/+");
        int dirFd = open(rootFd, ".", O_PATH | O_DIRECTORY, 0);
        StringBuilder sofar = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            String parent = sofar.toString();
            sofar.append('/').append(part);
            try {
                LibC.mkdirat(dirFd, part, mode);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EEXIST) {
                    closeQuietly(dirFd);
                    throw SysException.of(e, "mkdir " + sofar + " in root");
                }
            }
            String target = linkTarget(dirFd, part);
            closeQuietly(dirFd);
            if (target != null) {
                if (links >= MAX_LINKS) {
                    throw new SysException(Errno.ELOOP, "mkdir " + sofar + " in root");
                }
                // the link's target, made inside the root: absolute from the root, relative from the link's directory
                closeQuietly(mkdirs(rootFd, target.startsWith("/") ? target : parent + "/" + target, mode, links + 1));
            }
            // Re-resolve from the root: part may be a symlink, which must resolve inside the root too.
            dirFd = open(rootFd, sofar.toString(), O_PATH | O_DIRECTORY, 0);
        }
        return dirFd;
    }

    /** What name in dirFd links to, or null if it is no symlink. */
    private static String linkTarget(int dirFd, String name) {
        byte[] buffer = new byte[4096];
        try {
            long n = LibC.readlinkat(dirFd, name, buffer, buffer.length);
            return new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
        } catch (LastErrorException notALink) {
            return null; // EINVAL: not a symlink
        }
    }

    /** Creates an empty file (and its parents) inside the root if missing; returns an O_PATH fd. */
    public static int mkfile(int rootFd, String path) {
        String rel = relative(path);
        int slash = rel.lastIndexOf('/');
        if (slash > 0) {
            closeQuietly(mkdirs(rootFd, rel.substring(0, slash), 0755));
        }
        closeQuietly(open(rootFd, rel, O_WRONLY | O_CREAT, 0644));
        return open(rootFd, rel, O_PATH, 0);
    }

    /** The magic link through which a syscall taking a path acts on fd's file. */
    public static String procPath(int fd) {
        return "/proc/self/fd/" + fd;
    }

    public static void closeQuietly(int fd) {
        Fd.close(fd);
    }

    private static String relative(String path) {
        String rel = path;
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return rel.isEmpty() ? "." : rel;
    }
}
