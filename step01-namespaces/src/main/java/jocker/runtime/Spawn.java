package jocker.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.nio.file.Path;
import java.util.List;

import static jocker.sys.Fd.O_APPEND;
import static jocker.sys.Fd.O_CREAT;
import static jocker.sys.Fd.O_RDONLY;
import static jocker.sys.Fd.O_WRONLY;

/**
 * Starts a process with posix_spawn(3) and waits for it with waitpid(2).
 *
 * <p>Why not ProcessBuilder: after unshare(CLONE_NEWPID) the calling thread
 * may fork, but may no longer create threads (clone(2) with CLONE_THREAD
 * fails with EINVAL while the thread's "PID namespace for children" differs
 * from its own), and ProcessBuilder.start() creates the JDK's process-reaper
 * thread on the calling thread. posix_spawn forks (vfork-style) and execs in
 * one call from this thread, and this thread then reaps its own child.
 */
final class Spawn {
    private Spawn() {}

    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    // glibc's posix_spawn_file_actions_t and posix_spawnattr_t are 80 and 336 bytes; sigset_t 128
    private static final int OPAQUE_SIZE = 512;

    /**
     * Spawns command with stdin, stdout and stderr inherited, childFds[i] as
     * its fd 3+i (-1: that number closed), every other fd closed, no signal blocked and every signal
     * at its default action (the JVM's own signal setup must not leak into
     * the child).
     *
     * @return the child's pid
     */
    static int spawn(List<String> command, List<String> env, Stdio stdio, int... childFds) {
        return spawn(command.get(0), command, env, stdio, childFds);
    }

    /** The same, with argv[0] free to differ from the program's path (as hooks ask: docker's reexec reads it). */
    static int spawn(String path, List<String> argv, List<String> env, Stdio stdio, int... childFds) {
        Memory actions = new Memory(OPAQUE_SIZE);
        Memory attr = new Memory(OPAQUE_SIZE);
        Memory noSignals = new Memory(OPAQUE_SIZE);
        Memory allSignals = new Memory(OPAQUE_SIZE);
        check(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        check(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
        try {
            openStdio(actions, 0, stdio.in(), O_RDONLY);
            openStdio(actions, 1, stdio.out(), O_WRONLY | O_CREAT | O_APPEND);
            openStdio(actions, 2, stdio.err(), O_WRONLY | O_CREAT | O_APPEND);
            for (int i = 0; i < childFds.length; i++) {
                if (childFds[i] < 0) {
                    // a number left free in the child
                    check(LibC.posix_spawn_file_actions_addclose(actions, 3 + i), "posix_spawn_file_actions_addclose");
                    continue;
                }
                // dup2 clears close-on-exec on the copy: these few fds cross into the child
                check(LibC.posix_spawn_file_actions_adddup2(actions, childFds[i], 3 + i), "posix_spawn_file_actions_adddup2");
            }
            check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3 + childFds.length),
                    "posix_spawn_file_actions_addclosefrom_np");
            LibC.sigemptyset(noSignals);
            LibC.sigfillset(allSignals);
            check(LibC.posix_spawnattr_setsigmask(attr, noSignals), "posix_spawnattr_setsigmask");
            check(LibC.posix_spawnattr_setsigdefault(attr, allSignals), "posix_spawnattr_setsigdefault");
            check(LibC.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                    "posix_spawnattr_setflags");
            int[] pid = new int[1];
            check(LibC.posix_spawn(pid, path, actions, attr,
                    new StringArray(argv.toArray(new String[0]), "UTF-8"),
                    new StringArray(env.toArray(new String[0]), "UTF-8")), "posix_spawn " + path);
            return pid[0];
        } finally {
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attr);
        }
    }

    private static void openStdio(Memory actions, int fd, Path file, int flags) {
        if (file != null) {
            check(LibC.posix_spawn_file_actions_addopen(actions, fd, file.toString(), flags, 0644),
                    "posix_spawn_file_actions_addopen " + file);
        }
    }

    /** Waits for the child; returns its exit code, or 128+N if signal N killed it (as a shell reports it). */
    static int waitFor(int pid) {
        int[] status = new int[1];
        while (true) {
            try {
                LibC.waitpid(pid, status, 0);
                break;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw SysException.of(e, "waitpid " + pid);
                }
            }
        }
        int termSignal = status[0] & 0x7f;
        return termSignal == 0 ? (status[0] >> 8) & 0xff : 128 + termSignal;
    }

    private static void check(int error, String what) {
        if (error != 0) {
            throw new SysException(error, what);
        }
    }
}
