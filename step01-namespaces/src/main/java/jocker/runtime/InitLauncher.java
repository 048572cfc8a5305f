package jocker.runtime;

import com.sun.jna.LastErrorException;
import jocker.init.InitPipes;
import jocker.mounts.InRoot;
import jocker.namespaces.Namespace;
import jocker.namespaces.UserNamespace;
import jocker.process.Signals;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;
import jocker.sys.UnixSocket;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The thread that becomes the container's parent.
 *
 * <p>unshare(2) in a multi-threaded process changes only the calling
 * thread, and CLONE_NEWPID only decides where that thread's next child
 * goes. So a fresh thread, never a pooled one, joins and creates the
 * namespaces, starts the init JVM (posix_spawn forks on the calling thread,
 * so the child is born inside them, as PID 1) and then waits for it. It
 * stays alive as long as the container: the init asks the kernel to kill the
 * container when its parent thread ends (PR_SET_PDEATHSIG), and this thread
 * is that parent. It is never reused: its namespaces are not the host's.
 */
final class InitLauncher extends Thread {
    /** The init JVM gets no environment from the host (JAVA_TOOL_OPTIONS would make it print). */
    private static final List<String> INIT_ENVIRONMENT = List.of("LANG=C.UTF-8");

    final int unshareFlags;
    final List<SpecConverter.Join> joins;
    final Stdio stdio;
    /** null, or the user namespace the init is born in (see Clone) */
    final UserNamespace user;
    /** -1, or the container's state directory, handed to the init as InitPipes.STATE_DIR_FD */
    private final int stateDirFd;
    /** whether the init makes its cgroup namespace before its exec (see Clone) */
    private final boolean cgroupNamespace;
    /** the child waiting for {@link #release}, when started by a clone */
    private volatile Clone clone;
    private final List<String> command;
    // made on this thread, not the caller's: loading the native bindings takes a while
    private int[] configPipe;
    private int[] statusPipe;
    private int consoleFd = -1;

    /** completes with the init's pid once started, or with the reason it could not start */
    final CompletableFuture<Integer> started = new CompletableFuture<>();
    /** completes with the exit code (128+N for signal N), if this thread reaps the init */
    final CompletableFuture<Integer> exited = new CompletableFuture<>();
    /** whether this thread is to wait for the init, decided by whoever took it (see {@link #reap}) */
    private final CompletableFuture<Boolean> reaping = new CompletableFuture<>();

    private InitLauncher(int unshareFlags, List<SpecConverter.Join> joins, Stdio stdio, UserNamespace user,
                         boolean cgroupNamespace, int stateDirFd) {
        super("container-parent");
        this.unshareFlags = unshareFlags;
        this.joins = List.copyOf(joins);
        this.stdio = stdio;
        this.user = user;
        this.stateDirFd = stateDirFd;
        this.cgroupNamespace = cgroupNamespace;
        this.command = InitJvm.command();
        setDaemon(true);
    }

    static InitLauncher start(int unshareFlags, List<SpecConverter.Join> joins, Stdio stdio) {
        return start(unshareFlags, joins, stdio, null, false, -1);
    }

    /**
     * The same, the init born in user (null: the host's), making its cgroup
     * namespace before its exec if cgroupNamespace, and given the state
     * directory (-1: none). Either of the first two takes a clone (see Clone):
     * call {@link #release} once the init is placed in its cgroups.
     */
    static InitLauncher start(int unshareFlags, List<SpecConverter.Join> joins, Stdio stdio, UserNamespace user,
                              boolean cgroupNamespace, int stateDirFd) {
        InitLauncher launcher = new InitLauncher(unshareFlags, joins, stdio, user, cgroupNamespace, stateDirFd);
        launcher.start();
        return launcher;
    }

    /** The host's end of the config pipe (write the InitConfig here); valid once started. */
    int configFd() {
        return configPipe[1];
    }

    /** The host's end of the status pipe (end-of-file means exec'd). */
    int statusFd() {
        return statusPipe[0];
    }

    @Override
    public void run() {
        int pid;
        try {
            configPipe = Fd.pipe();
            statusPipe = Fd.pipe();
            if (stdio.consoleSocket() != null) {
                // connected here, in the host's mount namespace, before any setns
                consoleFd = UnixSocket.connect(stdio.consoleSocket().toString());
            } else if (stdio.consoleEnd() >= 0) {
                consoleFd = Fd.dup(stdio.consoleEnd()); // the caller's end stays the caller's
            }
            pid = startInNamespaces(childFds());
        } catch (RuntimeException | Error e) {
            // an Error too (a class that cannot be loaded in the new namespaces): whoever waits
            // for this thread must learn of it, not wait forever
            started.completeExceptionally(e);
            exited.complete(-1);
            return;
        } finally {
            // The child has its copies; the host keeps only its own ends, or the
            // status pipe would never reach end-of-file.
            if (statusPipe != null) {
                Fd.close(configPipe[0]);
                Fd.close(statusPipe[1]);
            }
            if (consoleFd >= 0) {
                Fd.close(consoleFd);
            }
        }
        started.complete(pid);
        boolean reap = reaping.join();
        try {
            if (clone != null) {
                clone.close(); // released, or never to be
            }
            if (!reap) {
                return; // a zombie it may become stays for the subreaper, which wants its status
            }
            exited.complete(Spawn.waitFor(pid));
        } catch (RuntimeException | Error e) {
            exited.completeExceptionally(e);
        }
    }

    /** Lets an init started by a clone go on to its exec (a no-op for one spawned). */
    void release() {
        Clone waiting = clone;
        if (waiting != null) {
            waiting.release();
        }
    }

    // tag::reap[]
    /**
     * Whether this JVM waits for the init and so learns its exit code. A
     * foreground run does. A container created or a process exec'd for an
     * engine must not: the engine's shim is the subreaper that the process is
     * handed to when this JVM exits, and the exit status is its to collect.
     * Reaping it here, if it ended quickly, would leave the shim waiting
     * forever for an exit it can no longer see.
     */
    void reap(boolean wait) {
        reaping.complete(wait);
    }
    // end::reap[]

    // tag::unshare[]
    private int startInNamespaces(int[] childFds) {
        for (SpecConverter.Join join : joins) {
            int fd = InRoot.openPath(join.path());
            try {
                if (join.namespace() == Namespace.MOUNT) {
                    // setns(CLONE_NEWNS) refuses a thread that shares its root and cwd with
                    // others; and from here on, paths (the JVM's too) are the joined namespace's
                    LibC.unshare(CLONE_FS);
                }
                LibC.setns(fd, join.namespace().cloneFlag());
            } catch (LastErrorException e) {
                throw SysException.of(e, "setns " + join.namespace().ociName() + " " + join.path());
            } finally {
                InRoot.closeQuietly(fd);
            }
        }
        if (user != null || cgroupNamespace) {
            return startByClone(childFds); // clone(2) makes the new namespaces itself: see Clone
        }
        try {
            LibC.unshare(unshareFlags);
        } catch (LastErrorException e) {
            String what = "unshare namespaces " + Namespace.names(unshareFlags);
            if (e.getErrorCode() == Errno.EPERM) {
                what = what + " (jocker needs root; see its doctor command)";
            }
            throw SysException.of(e, what);
        }
        // Forks on this thread: the child starts in this thread's new namespaces.
        try {
            return Spawn.spawn(command, INIT_ENVIRONMENT, stdio, childFds);
        } catch (SysException e) {
            if (joins.stream().anyMatch(j -> j.namespace() == Namespace.MOUNT)) {
                // the init is a JVM: it is started from the joined namespace's files
                throw new SysException(e.errno(), "start the init JVM (" + command.get(0) + ") in the mount namespace "
                        + "the spec names: it must show the JVM at the same path");
            }
            throw e;
        }
    }
    // end::unshare[]

    private static final int CLONE_FS = 0x00000200;

    /** The init's fds 3, 4 ...: the config and status pipes, then the console and the state directory, if any. */
    private int[] childFds() {
        return stateDirFd >= 0 ? new int[] {configPipe[0], statusPipe[1], consoleFd, stateDirFd}
                : consoleFd >= 0 ? new int[] {configPipe[0], statusPipe[1], consoleFd}
                : new int[] {configPipe[0], statusPipe[1]};
    }

    /**
     * The init born by one clone(2) in the new namespaces, this thread's own
     * unchanged: in a new user namespace that owns them (a JVM thread may not
     * unshare one), or with a cgroup namespace made before its exec.
     */
    private int startByClone(int[] childFds) {
        if (user != null) {
            // its root may not read the host's paths to the JVM's classpath: it gets them as fds
            int[] classpath = InitJvm.openClasspath();
            try {
                int[] fds = Arrays.copyOf(childFds, InitPipes.STATE_DIR_FD - 2 + classpath.length);
                Arrays.fill(fds, childFds.length, fds.length, -1);
                System.arraycopy(classpath, 0, fds, InitPipes.STATE_DIR_FD - 2, classpath.length);
                clone = Clone.start(InitJvm.command(InitPipes.STATE_DIR_FD + 1), INIT_ENVIRONMENT, stdio, user,
                        unshareFlags, cgroupNamespace, fds);
            } finally {
                Arrays.stream(classpath).forEach(Fd::close);
            }
        } else {
            clone = Clone.start(command, INIT_ENVIRONMENT, stdio, null, unshareFlags, true, childFds);
        }
        return clone.pid();
    }

    /** Kills an init that will not be used, and waits for it, so nothing outlives the host. */
    void abort() {
        Integer pid = started.exceptionally(e -> null).join();
        if (pid != null) {
            Fd.close(configFd());
            Fd.close(statusFd());
            Signals.kill(pid, Signals.SIGKILL);
            reap(true);
            exited.exceptionally(e -> -1).join();
        }
    }
}
