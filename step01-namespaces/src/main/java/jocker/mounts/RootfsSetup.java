package jocker.mounts;

import jocker.sys.Fd;
import com.sun.jna.LastErrorException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.File;

import static jocker.mounts.MountFlags.LOCKED_FLAGS;
import static jocker.mounts.MountFlags.MNT_DETACH;
import static jocker.mounts.MountFlags.MS_BIND;
import static jocker.mounts.MountFlags.MS_PRIVATE;
import static jocker.mounts.MountFlags.MS_RDONLY;
import static jocker.mounts.MountFlags.MS_REC;
import static jocker.mounts.MountFlags.MS_REMOUNT;

/**
 * Builds the container's filesystem view and moves into it. Runs in the
 * init stage, as PID 1 of the new PID namespace, inside the new mount
 * namespace: nothing done here is visible on the host.
 */
public final class RootfsSetup {
    private RootfsSetup() {}

    /**
     * Mounts everything the config asks for under the rootfs, pivots into
     * it, creates the working directory, and applies masked and read-only
     * paths. Afterwards {@code /} is the rootfs and the host's tree is gone.
     */
    public static void enter(RootfsConfig config, String cwd) {
        if (!config.ownMountNamespace()) {
            enterShared(config, cwd);
            return;
        }
        // tag::private[]
        // The new mount namespace starts as a copy of the host's, and on a
        // systemd host "/" is a shared mount: every mount below would then
        // propagate back to the host, and pivot_root(2) refuses to run (EINVAL).
        // Making the whole tree private cuts that link first. A spec whose
        // rootfsPropagation is slave or shared (docker sets it for a bind mount
        // of rslave or rshared propagation, step 5) gets a slave tree instead:
        // the host's mount events still come in, none go out, as runc does.
        boolean slave = (config.rootPropagation() & (MountFlags.MS_SLAVE | MountFlags.MS_SHARED)) != 0;
        mount(null, "/", null, MS_REC | (slave ? MountFlags.MS_SLAVE : MS_PRIVATE), null, "make / private");
        // end::private[]

        if (config.rootMount() != null) {
            mountRoot(config);
        } else {
            // tag::bind-rootfs[]
            // pivot_root(2) needs the new root to be a mount point: bind it onto itself.
            mount(config.path(), config.path(), null, MS_BIND | MS_REC, null, "bind rootfs " + config.path());
            // end::bind-rootfs[]
        }

        int rootFd = InRoot.openRoot(config.path());
        try {
            mountAndMakeDevices(rootFd, config);
            pivotRoot(rootFd);
        } finally {
            InRoot.closeQuietly(rootFd);
        }

        createWorkingDirectory(cwd);
        Sysctl.apply(config.sysctl()); // before /proc/sys is made read-only below
        for (String path : config.maskedPaths()) {
            mask(path);
        }
        for (String path : config.readonlyPaths()) {
            makeReadonly(path);
        }
        if (config.readonly()) {
            remountReadonly("/");
        }
        if (config.rootPropagation() != 0) {
            // linux.rootfsPropagation: the root was made private (or slave) for pivot_root; now as asked
            mount(null, "/", null, config.rootPropagation(), null, "set the propagation of the root");
        }
    }

    /**
     * The same without a mount namespace of the container's own: the mounts
     * go on the rootfs in the host's namespace (delete removes them, see
     * SharedMounts), and chroot(2) changes only this process's "/": no
     * pivot_root, which would move the host's root. (SpecConverter refused
     * what would change the host's own mounts.)
     */
    private static void enterShared(RootfsConfig config, String cwd) {
        int rootFd = InRoot.openRoot(config.path());
        try {
            mountAndMakeDevices(rootFd, config);
            LibC.fchdir(rootFd);
            LibC.chroot(".");
            LibC.chdir("/");
        } catch (LastErrorException e) {
            throw SysException.of(e, "chroot into the rootfs " + config.path());
        } finally {
            InRoot.closeQuietly(rootFd);
        }
        createWorkingDirectory(cwd);
        Sysctl.apply(config.sysctl());
    }

    /** The spec's mounts, docker's default device nodes and the spec's own, under the root. */
    private static void mountAndMakeDevices(int rootFd, RootfsConfig config) {
        for (RootfsConfig.Entry m : config.mounts()) {
            mountEntry(rootFd, m);
        }
        Devices.create(rootFd);
        Devices.createFromSpec(rootFd, config.devices());
    }

    // tag::root-mount[]
    /**
     * A root filesystem that is a mount of its own (step 3's overlay of
     * layers): mounted here, in the container's mount namespace, so the host
     * never sees it and it goes away with the namespace. Relative paths in
     * its data (overlay's short "l/NAME" layer links, which keep a long
     * stack under the one-page limit of mount data) are read from the
     * bundle directory, so the mount is made from there.
     */
    private static void mountRoot(RootfsConfig config) {
        RootfsConfig.Entry m = config.rootMount();
        try {
            if (config.bundle() != null) {
                LibC.chdir(config.bundle());
            }
        } catch (LastErrorException e) {
            throw SysException.of(e, "chdir to " + config.bundle());
        }
        mount(m.source(), config.path(), m.type(), m.flags(), m.data(), "mount the " + m.type() + " root filesystem");
    }
    // end::root-mount[]

    // tag::pivot-root[]
    /**
     * Makes the rootfs the root of the mount namespace and detaches the old
     * root. pivot_root(".", ".") stacks the old root on top of the new one at
     * the same place, so no put_old directory has to exist in a rootfs that
     * may be read-only; unmounting "." then removes the old root, lazily
     * (MNT_DETACH) because the JVM still holds files open in it.
     * Unlike chroot(2), which only changes this process's idea of "/", the
     * host's tree is then unreachable: no ".." or open directory leads back.
     */
    private static void pivotRoot(int rootFd) {
        try {
            LibC.fchdir(rootFd);
            LibC.syscall(LibC.SYS_PIVOT_ROOT, ".", ".");
        } catch (LastErrorException e) {
            throw SysException.of(e, "pivot_root into the rootfs");
        }
        try {
            LibC.umount2(".", MNT_DETACH);
            LibC.chdir("/");
        } catch (LastErrorException e) {
            throw SysException.of(e, "detach the old root");
        }
    }
    // end::pivot-root[]

    private static void mountEntry(int rootFd, RootfsConfig.Entry m) {
        if ("cgroup".equals(m.type())) {
            CgroupfsMount.mount(rootFd, m);
            return;
        }
        boolean fileTarget = m.isBindOfFile();
        int targetFd = fileTarget ? InRoot.mkfile(rootFd, m.destination())
                : InRoot.mkdirs(rootFd, m.destination(), 0755);
        try {
            String target = InRoot.procPath(targetFd);
            if ((m.flags() & MS_BIND) != 0) {
                mount(m.source(), target, null, MS_BIND | (m.flags() & MS_REC), null,
                        "bind " + m.source() + " on " + m.destination());
            } else {
                mount(m.source(), target, m.type(), m.flags() & ~MountFlags.RECURSIVE_RDONLY, m.data(),
                        "mount " + m.type() + " on " + m.destination());
            }
        } finally {
            InRoot.closeQuietly(targetFd);
        }
        // The fd still names the directory under the new mount; reopen to act on the mount itself.
        long extra = m.flags() & ~(MS_BIND | MS_REC | MountFlags.RECURSIVE_RDONLY);
        if ((m.flags() & MS_BIND) != 0 && extra != 0) {
            onMount(rootFd, m.destination(), MS_BIND | MS_REMOUNT | extra, "remount " + m.destination());
        }
        if ((m.flags() & MountFlags.RECURSIVE_RDONLY) != 0) {
            readonlyRecursively(rootFd, m.destination());
        }
        if (m.propagation() != 0) {
            onMount(rootFd, m.destination(), m.propagation(), "set propagation of " + m.destination());
        }
    }

    // tag::recursive-readonly[]
    /**
     * Makes the mount at path and every mount under it read-only: a bind
     * remount with MS_RDONLY changes the top mount only, so a read-only
     * {@code -v /:/host:ro} would leave /host/proc, /host/boot ... writable.
     * mount_setattr(2) (Linux 5.12) with AT_RECURSIVE sets the attribute on
     * the whole tree at once.
     */
    static void readonlyRecursively(int rootFd, String path) {
        int fd = InRoot.open(rootFd, path, Fd.O_PATH, 0);
        try {
            long[] attr = {MOUNT_ATTR_RDONLY, 0, 0, 0}; // attr_set, attr_clr, propagation, userns_fd
            LibC.syscall(LibC.SYS_MOUNT_SETATTR, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, attr, 32);
        } catch (LastErrorException e) {
            throw SysException.of(e, "make " + path + " read-only recursively (mount_setattr)");
        } finally {
            InRoot.closeQuietly(fd);
        }
    }
    // end::recursive-readonly[]

    /** Whether this kernel has mount_setattr(2): a call on no fd fails with EBADF there, ENOSYS on older kernels. */
    public static boolean canMakeReadonlyRecursively() {
        try {
            LibC.syscall(LibC.SYS_MOUNT_SETATTR, -1, "", AT_EMPTY_PATH, new long[4], 32);
            return true;
        } catch (LastErrorException e) {
            return e.getErrorCode() != jocker.sys.Errno.ENOSYS;
        }
    }

    private static final long MOUNT_ATTR_RDONLY = 0x1;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_RECURSIVE = 0x8000;

    /** A flags-only mount(2) call (remount, propagation) on the mount at path inside the root. */
    static void onMount(int rootFd, String path, long flags, String what) {
        int fd = InRoot.open(rootFd, path, Fd.O_PATH, 0);
        try {
            mount(null, InRoot.procPath(fd), null, flags, null, what);
        } finally {
            InRoot.closeQuietly(fd);
        }
    }

    private static void createWorkingDirectory(String cwd) {
        // Like docker, which creates a missing WORKDIR, through the image's own symlinks too;
        // if this fails, chdir reports it.
        if (new File(cwd).isDirectory()) {
            return;
        }
        int root = InRoot.openRoot("/");
        try {
            InRoot.closeQuietly(InRoot.mkdirs(root, cwd, 0755));
        } catch (RuntimeException reportedByChdir) {
            // the chdir that follows says what is wrong with cwd
        } finally {
            InRoot.closeQuietly(root);
        }
    }

    // tag::masked[]
    /**
     * Hides a path: an empty read-only tmpfs over a directory, /dev/null over
     * a file. /proc/kcore, /proc/keys, /sys/firmware ... tell a container
     * about the host or let it poke the kernel; they stay visible only as
     * empty names.
     */
    private static void mask(String path) {
        File f = new File(path);
        if (!f.exists()) {
            return;
        }
        if (f.isDirectory()) {
            mount("tmpfs", path, "tmpfs", MS_RDONLY, null, "mask " + path);
        } else {
            mount("/dev/null", path, null, MS_BIND, null, "mask " + path);
        }
    }

    /** Bind-mounts path onto itself and makes that mount read-only (/proc/sys ...). */
    private static void makeReadonly(String path) {
        if (!new File(path).exists()) {
            return;
        }
        mount(path, path, null, MS_BIND | MS_REC, null, "bind " + path);
        remountReadonly(path);
    }
    // end::masked[]

    private static void remountReadonly(String path) {
        long[] stat = new long[15];
        try {
            LibC.statfs(path, stat);
        } catch (LastErrorException e) {
            throw SysException.of(e, "statfs " + path);
        }
        // A bind remount replaces the per-mount flags: keep nosuid/nodev/noexec.
        long keep = stat[10] & LOCKED_FLAGS;
        mount(null, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, null, "remount " + path + " read-only");
    }

    static void mount(String source, String target, String type, long flags, String data, String what) {
        try {
            LibC.mount(source, target, type, flags, data);
        } catch (LastErrorException e) {
            throw SysException.of(e, what);
        }
    }
}
