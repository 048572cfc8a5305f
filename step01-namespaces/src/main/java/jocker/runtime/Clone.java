package jocker.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import jocker.namespaces.IdMap;
import jocker.namespaces.Namespace;
import jocker.namespaces.UserNamespace;
import jocker.process.Signals;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jocker.sys.Fd.O_APPEND;
import static jocker.sys.Fd.O_CLOEXEC;
import static jocker.sys.Fd.O_CREAT;
import static jocker.sys.Fd.O_RDONLY;
import static jocker.sys.Fd.O_WRONLY;

// tag::clone-why[]
/**
 * Starts a process that must act between its fork and its exec: be born in a
 * user namespace, or make its cgroup namespace once the host placed it in its
 * cgroups. With clone(2), called from Java.
 *
 * <p>The kernel refuses unshare(CLONE_NEWUSER), and setns(2) into a user
 * namespace, to a process of more than one thread, and a JVM always has
 * several. clone(2) with CLONE_NEWUSER is allowed: its child is a new process
 * of one thread. But that child is a copy of this JVM in which only the
 * calling thread goes on: no garbage collector, no JIT compiler, and every
 * lock another thread held at that moment stays held forever. A C program
 * that forks in a threaded process may call only async-signal-safe functions
 * until it execs; the child here keeps a stricter rule. It runs straight-line
 * code on values prepared before the clone, in local variables, and calls
 * nothing but one native method that the clone itself already linked,
 * syscall(2): no object is made, no class loaded, no exception thrown, until
 * execve(2) replaces the copy with a fresh JVM, the container's init.
 *
 * <p>One hazard remains that Java code cannot rule out: had the JVM been
 * stopping its threads for a safepoint at the instant of the clone, the
 * child's thread would wait at its next return from native code for a VM
 * thread that does not exist in the copy (no other can begin: it is the only
 * thread). The window is microseconds wide; the parent gives the child a
 * deadline to write its first byte and, if it has not by then, kills it and
 * clones again. (runc, whose Go runtime has the same threads,
 * does this part in C, before Go starts: its nsexec.)
 */
// end::clone-why[]
final class Clone {
    static {
        Native.register(Clone.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }


    /** syscall(2) with room for five arguments; no LastErrorException, so the child never makes one. */
    private static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    // x86_64 system call numbers (asm/unistd_64.h)
    private static final long SYS_READ = 0;
    private static final long SYS_WRITE = 1;
    private static final long SYS_CLOSE = 3;
    private static final long SYS_RT_SIGACTION = 13;
    private static final long SYS_RT_SIGPROCMASK = 14;
    private static final long SYS_CLONE = 56;
    private static final long SYS_EXECVE = 59;
    private static final long SYS_SETGROUPS = 116;
    private static final long SYS_UNSHARE = 272;
    private static final long SYS_SETRESUID = 117;
    private static final long SYS_SETRESGID = 119;
    private static final long SYS_EXIT_GROUP = 231;
    private static final long SYS_DUP3 = 292;
    private static final long SYS_SETNS = 308;
    private static final long SYS_CLOSE_RANGE = 436;

    private static final long SIGCHLD = 17;
    private static final long SIG_SETMASK = 2;
    private static final long CLOSE_RANGE_CLOEXEC = 4;
    private static final int F_DUPFD_CLOEXEC = 1030;
    /** Fds the parent hands over are first moved at or above this, clear of the numbers they go to. */
    private static final int HIGH_FD = 16;

    /** Where the child stopped, written on the notify pipe as one byte before it exits; 0: it runs. */
    private static final String[] STEPS = {
        null, "move its file descriptors", "wait for its id maps", "join the user namespace",
        "make its cgroup namespace", "become root in the user namespace (is 0 mapped?)", "execve the init JVM",
    };
    private static final int DEADLINE_MILLIS = 5_000;
    private static final int ATTEMPTS = 3;

    private final int pid;
    private int syncFd;
    private int notifyFd;

    private Clone(int pid, int syncFd, int notifyFd) {
        this.pid = pid;
        this.syncFd = syncFd;
        this.notifyFd = notifyFd;
    }

    /**
     * Like {@link Spawn#spawn}: command with stdio, childFds as fds 3, 4 ...
     * (-1: that number stays closed), all else closed at exec, signals at
     * their defaults; but born in user's namespace (null: the host's; else a
     * new one owning the other new namespaces of cloneFlags, or one joined),
     * as its root. The child waits before it execs: the caller may place it
     * in cgroups, then {@link #release} it. With cgroupNamespace, it then
     * makes its cgroup namespace, whose root is the cgroup it was placed in:
     * for the whole process, which a JVM's thread could not.
     */
    static Clone start(List<String> command, List<String> env, Stdio stdio, UserNamespace user, int cloneFlags,
                       boolean cgroupNamespace, int... childFds) {
        for (int attempt = 1; ; attempt++) {
            Clone child = attempt(command, env, stdio, user, cloneFlags, cgroupNamespace, childFds);
            if (child != null) {
                return child;
            }
            if (attempt == ATTEMPTS) {
                throw new ContainerException("the cloned init did not run within " + DEADLINE_MILLIS
                        + " ms, " + ATTEMPTS + " times");
            }
        }
    }

    int pid() {
        return pid;
    }

    /** A child that runs and waits for release; null if it never ran (it is killed and reaped). */
    private static Clone attempt(List<String> command, List<String> env, Stdio stdio, UserNamespace user,
                                 int cloneFlags, boolean cgroupNamespace, int[] childFds) {
        List<Integer> opened = new ArrayList<>();
        // all at HIGH_FD or above, where the child's moves to 0..6 cannot overwrite them
        int[] sync = highPipe();
        int[] notify = highPipe();
        int userFd = -1;
        boolean handedOver = false;
        try {
            // tag::clone-prepare[]
            // Everything the child needs, made now: fd moves as {from, to} pairs, C strings, buffers.
            long[] moves = new long[2 * (3 + childFds.length)];
            int n = 0;
            Path[] stdioFiles = {stdio.in(), stdio.out(), stdio.err()};
            int[] stdioFlags = {O_RDONLY, O_WRONLY | O_CREAT | O_APPEND, O_WRONLY | O_CREAT | O_APPEND};
            for (int fd = 0; fd < 3; fd++) {
                if (stdioFiles[fd] != null) {
                    int file = open(stdioFiles[fd], stdioFlags[fd]);
                    opened.add(file);
                    moves[n++] = high(file, opened);
                    moves[n++] = fd;
                }
            }
            for (int i = 0; i < childFds.length; i++) {
                moves[n++] = childFds[i] < 0 ? -1 : high(childFds[i], opened);
                moves[n++] = 3 + i;
            }
            long firstClosed = 3 + childFds.length;
            if (user != null && !user.creates()) {
                int fd = LibC.open(user.path(), O_RDONLY | O_CLOEXEC, 0);
                opened.add(fd);
                userFd = high(fd, opened);
            }
            Memory path = cString(command.get(0));
            StringArray argv = new StringArray(command.toArray(new String[0]), "UTF-8");
            StringArray envp = new StringArray(env.toArray(new String[0]), "UTF-8");
            Memory zeros = new Memory(32);      // an empty signal set; a struct sigaction of SIG_DFL
            zeros.clear();
            Memory bytes = new Memory(STEPS.length);   // byte i is i: what write(2) sends to say "step i"
            for (int i = 0; i < STEPS.length; i++) {
                bytes.setByte(i, (byte) i);
            }
            Memory buffer = new Memory(1);
            long pathAddress = Pointer.nativeValue(path);
            long argvAddress = Pointer.nativeValue(argv);
            long envAddress = Pointer.nativeValue(envp);
            long zeroAddress = Pointer.nativeValue(zeros);
            long stepAddress = Pointer.nativeValue(bytes);
            long bufferAddress = Pointer.nativeValue(buffer);
            long syncRead = sync[0];
            long notifyWrite = notify[1];
            long joinFd = userFd;
            long newUser = Namespace.USER.cloneFlag();
            long newCgroup = cgroupNamespace ? Namespace.CGROUP.cloneFlag() : 0;
            boolean becomeRoot = user != null;
            long flags = (user != null && user.creates() ? cloneFlags | newUser : cloneFlags) | SIGCHLD;
            // end::clone-prepare[]

            // tag::clone-child[]
            long pid = syscall(SYS_CLONE, flags, 0, 0, 0, 0);
            if (pid == 0) {
                // The child: local values and syscall(2) only (see the class comment).
                syscall(SYS_WRITE, notifyWrite, stepAddress, 1, 0, 0); // "0": it got past its first native return
                long step = 1;
                long failed = 0;
                for (int i = 0; i < n && failed >= 0; i += 2) {
                    failed = moves[i] < 0 ? syscall(SYS_CLOSE, moves[i + 1], 0, 0, 0, 0)
                            : syscall(SYS_DUP3, moves[i], moves[i + 1], 0, 0, 0);
                }
                if (failed >= 0) {
                    failed = syscall(SYS_CLOSE_RANGE, firstClosed, 0xFFFFFFFFL, CLOSE_RANGE_CLOEXEC, 0, 0);
                }
                if (failed >= 0) {
                    // no signal blocked, none caught or ignored: the JVM's own handling must not leak in
                    syscall(SYS_RT_SIGPROCMASK, SIG_SETMASK, zeroAddress, 0, 8, 0);
                    for (long signal = 1; signal <= 64; signal++) {
                        syscall(SYS_RT_SIGACTION, signal, zeroAddress, 0, 8, 0); // SIGKILL, SIGSTOP: refused, fine
                    }
                    step = 2; // the parent writes the id maps, places it in cgroups, then one byte here
                    failed = syscall(SYS_READ, syncRead, bufferAddress, 1, 0, 0) == 1 ? 0 : -1;
                }
                if (failed >= 0 && joinFd >= 0) {
                    step = 3;
                    failed = syscall(SYS_SETNS, joinFd, newUser, 0, 0, 0);
                }
                if (failed >= 0 && newCgroup != 0) {
                    step = 4;
                    failed = syscall(SYS_UNSHARE, newCgroup, 0, 0, 0, 0);
                }
                if (failed >= 0 && becomeRoot) {
                    step = 5; // root of the namespace: the init JVM then keeps its capabilities across execve
                    failed = syscall(SYS_SETRESGID, 0, 0, 0, 0, 0);
                    failed = failed < 0 ? failed : syscall(SYS_SETGROUPS, 0, 0, 0, 0, 0);
                    failed = failed < 0 ? failed : syscall(SYS_SETRESUID, 0, 0, 0, 0, 0);
                }
                if (failed >= 0) {
                    step = 6;
                    syscall(SYS_EXECVE, pathAddress, argvAddress, envAddress, 0, 0);
                }
                syscall(SYS_WRITE, notifyWrite, stepAddress + step, 1, 0, 0);
                syscall(SYS_EXIT_GROUP, 127, 0, 0, 0, 0);
            }
            // end::clone-child[]
            if (pid < 0) {
                throw new SysException(Native.getLastError(), "clone " + Namespace.names((int) flags & ~0xff));
            }
            Fd.close(sync[0]);
            Fd.close(notify[1]);
            sync[0] = -1;
            notify[1] = -1;
            if (!runs((int) pid, notify[0])) {
                return null;
            }
            if (user != null && user.creates()) {
                mapIds((int) pid, user);
            }
            handedOver = true;
            return new Clone((int) pid, sync[1], notify[0]);
        } catch (LastErrorException e) {
            throw SysException.of(e, "prepare the clone of the init");
        } finally {
            List<Integer> ours = new ArrayList<>(opened);
            ours.addAll(List.of(sync[0], notify[1]));
            if (!handedOver) {
                ours.addAll(List.of(sync[1], notify[0]));
            }
            ours.stream().filter(fd -> fd >= 0).forEach(Fd::close);
        }
    }

    // tag::clone-parent[]
    /** Whether the child got as far as its first system call; if not in time, it is killed and reaped. */
    private static boolean runs(int pid, int notifyFd) {
        byte[] step = new byte[1];
        if (waitReadable(notifyFd) == 1 && LibC.read(notifyFd, step, 1) == 1 && step[0] == 0) {
            return true;
        }
        Signals.kill(pid, Signals.SIGKILL);
        Spawn.waitFor(pid);
        return false; // stuck at its first return from native code (see the class comment): try again
    }

    /** Only a process outside the new namespace, with CAP_SETUID there, may map any ids into it. */
    private static void mapIds(int pid, UserNamespace user) {
        try {
            writeMap(pid, "uid_map", user.uids());
            writeMap(pid, "gid_map", user.gids());
        } catch (RuntimeException e) {
            Signals.kill(pid, Signals.SIGKILL);
            Spawn.waitFor(pid);
            throw e;
        }
    }

    /**
     * Lets the child go on to its execve and waits until it has made it (the
     * notify pipe is close-on-exec: end of file) or says where it stopped.
     */
    void release() {
        try {
            LibC.write(syncFd, new byte[] {1}, 1);
            byte[] step = new byte[1];
            if (LibC.read(notifyFd, step, 1) == 1) {
                throw new ContainerException("the cloned init could not " + STEPS[step[0]]);
            }
        } catch (LastErrorException e) {
            throw SysException.of(e, "release the cloned init");
        } finally {
            close();
        }
    }
    // end::clone-parent[]

    /** Closes the parent's ends of the pipes (a child never released then reads end of file and exits). */
    void close() {
        if (syncFd >= 0) {
            Fd.close(syncFd);
            Fd.close(notifyFd);
            syncFd = -1;
            notifyFd = -1;
        }
    }

    private static final int POLLIN = 1;

    /** 1 once fd can be read (data or end of file), 0 if the deadline passed first. */
    private static int waitReadable(int fd) {
        long deadline = System.nanoTime() + DEADLINE_MILLIS * 1_000_000L;
        while (true) {
            int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            try {
                return LibC.poll(new int[] {fd, POLLIN}, 1, left);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw SysException.of(e, "poll");
                }
            }
        }
    }

    private static void writeMap(int pid, String file, IdMap map) {
        String path = "/proc/" + pid + "/" + file;
        byte[] text = map.procFormat().getBytes(StandardCharsets.US_ASCII);
        int fd = LibC.open(path, O_WRONLY | O_CLOEXEC, 0);
        try {
            LibC.write(fd, text, text.length); // the kernel takes a map in one write, once
        } catch (LastErrorException e) {
            throw SysException.of(e, "write " + path + " (" + map.procFormat().strip().replace('\n', ',') + ")");
        } finally {
            Fd.close(fd);
        }
    }

    private static int open(Path file, int flags) {
        try {
            return LibC.open(file.toString(), flags | O_CLOEXEC, 0644);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open " + file);
        }
    }

    /** A close-on-exec copy of fd numbered HIGH_FD or above, recorded for closing. */
    private static int high(int fd, List<Integer> opened) {
        int copy = LibC.fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
        opened.add(copy);
        return copy;
    }

    /** A close-on-exec pipe whose ends are numbered HIGH_FD or above. */
    private static int[] highPipe() {
        int[] low = Fd.pipe();
        try {
            return new int[] {LibC.fcntl(low[0], F_DUPFD_CLOEXEC, HIGH_FD), LibC.fcntl(low[1], F_DUPFD_CLOEXEC, HIGH_FD)};
        } catch (LastErrorException e) {
            throw SysException.of(e, "fcntl F_DUPFD_CLOEXEC");
        } finally {
            Fd.close(low[0]);
            Fd.close(low[1]);
        }
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }
}
