package jocker.process;

import com.sun.jna.LastErrorException;
import com.sun.jna.StringArray;
import jocker.sys.Errno;
import jocker.sys.LibC;

import java.io.File;
import java.util.List;
import java.util.Locale;

/**
 * The last step of the init stage: find the program, close every file the
 * JVM had open, and execve(2) into it. On success this never returns: the
 * JVM is replaced, and the container's process is PID 1.
 */
public final class Exec {
    private Exec() {}

    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int SIGKILL = 9;
    /** docker's PATH, and the one searched when a process has none */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * Resolves args[0] the way runc does (Go's exec.LookPath): a name with a
     * slash is used as it is; a bare name is searched in the process's PATH.
     */
    public static String resolve(String command, String pathVariable) {
        if (command.contains("/")) {
            File f = new File(command);
            if (!f.exists()) {
                throw new ExecFailure(ExecFailure.NOT_FOUND,
                        "exec: \"" + command + "\": stat " + command + ": no such file or directory");
            }
            if (f.isDirectory() || !f.canExecute()) {
                throw new ExecFailure(ExecFailure.CANNOT_INVOKE, "exec: \"" + command + "\": permission denied");
            }
            return command;
        }
        String path = pathVariable == null ? DEFAULT_PATH : pathVariable;
        for (String dir : path.split(":", -1)) {
            File f = new File(dir.isEmpty() ? "." : dir, command);
            if (f.isFile() && f.canExecute()) {
                return f.getPath();
            }
        }
        throw new ExecFailure(ExecFailure.NOT_FOUND,
                "exec: \"" + command + "\": executable file not found in $PATH");
    }

    // tag::exec[]
    public static void execve(String path, List<String> args, List<String> env, boolean dieWithParent) {
        try {
            if (dieWithParent) {
                // A foreground run dies with its parent: when the thread that started
                // it ends (the host's jocker exits, or is killed), the kernel sends
                // SIGKILL. Set last: any credential change above would have cleared it.
                // A created container has no such tie: it outlives its creator.
                LibC.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            }
            // Every fd the JVM opened (its jars, the modules image, /dev/random, the
            // socket to the host) is marked close-on-exec: the container's process
            // starts with 0, 1 and 2 only. A leaked fd to a host directory is a way
            // out of the rootfs (runc CVE-2024-21626).
            closeOnExec();
            LibC.execve(path, new StringArray(args.toArray(new String[0]), "UTF-8"),
                    new StringArray(env.toArray(new String[0]), "UTF-8"));
        } catch (LastErrorException e) {
            int code = e.getErrorCode() == Errno.ENOENT ? ExecFailure.NOT_FOUND : ExecFailure.CANNOT_INVOKE;
            throw new ExecFailure(code, "exec: \"" + path + "\": "
                    + LibC.strerror(e.getErrorCode()).toLowerCase(Locale.ROOT));
        }
    }
    // end::exec[]

    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;

    /**
     * close_range(2) marks every fd from 3 up in one call. A seccomp profile
     * older than that call (5.9) denies it, and the filter is already in
     * place here: then each open fd, as /proc/self/fd lists them, gets
     * FD_CLOEXEC with fcntl(2), as runc does it.
     */
    private static void closeOnExec() {
        try {
            LibC.close_range(3, -1, CLOSE_RANGE_CLOEXEC);
            return;
        } catch (LastErrorException deniedOrMissing) {
            // fall back below
        }
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            throw new ExecFailure(ExecFailure.SETUP_FAILED, "cannot list /proc/self/fd to close the host's files");
        }
        for (String name : fds) {
            int fd = Integer.parseInt(name);
            if (fd > 2) {
                try {
                    LibC.fcntl(fd, F_SETFD, FD_CLOEXEC);
                } catch (LastErrorException closedMeanwhile) {
                    // the directory's own fd, closed since it was listed
                }
            }
        }
    }
}
