package jocker.runtime;

import com.sun.jna.LastErrorException;
import jocker.mounts.InRoot;
import jocker.namespaces.Namespace;
import jocker.process.Signals;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;
import jocker.sys.UnixSocket;

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

    private InitLauncher(int unshareFlags, List<SpecConverter.Join> joins, Stdio stdio) {
        super("container-parent");
        this.unshareFlags = unshareFlags;
        this.joins = List.copyOf(joins);
        this.stdio = stdio;
        this.command = InitJvm.command();
        setDaemon(true);
    }

    static InitLauncher start(int unshareFlags, List<SpecConverter.Join> joins, Stdio stdio) {
        InitLauncher launcher = new InitLauncher(unshareFlags, joins, stdio);
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
            }
            pid = startInNamespaces();
        } catch (RuntimeException e) {
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
        if (!reaping.join()) {
            return; // a zombie it may become stays for the subreaper, which wants its status
        }
        try {
            exited.complete(Spawn.waitFor(pid));
        } catch (RuntimeException e) {
            exited.completeExceptionally(e);
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
    private int startInNamespaces() {
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
            return consoleFd < 0
                    ? Spawn.spawn(command, INIT_ENVIRONMENT, stdio, configPipe[0], statusPipe[1])
                    : Spawn.spawn(command, INIT_ENVIRONMENT, stdio, configPipe[0], statusPipe[1], consoleFd);
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
