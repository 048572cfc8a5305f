package jocker.init;

import com.sun.jna.LastErrorException;
import jocker.mounts.RootfsSetup;
import jocker.process.Credentials;
import jocker.process.Exec;
import jocker.process.ExecFailure;
import jocker.process.ProcessConfig;
import jocker.process.Rlimit;
import jocker.sys.Fd;
import jocker.sys.JockerException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The container's init stage: a small JVM started by the host inside the
 * new namespaces, where it is PID 1. It reads its config from the host on an
 * inherited pipe, builds the container's world from the inside (mounts,
 * pivot_root, hostname, limits, user, capabilities) and then execve(2)s
 * the container's command, which takes over PID 1.
 *
 * <p>Why a second JVM: the host JVM has many threads, and namespaces and
 * pivot_root act per thread or need a process whose PID namespace is the
 * container's (see the chapter). This class must stay lean: it loads no
 * JSON or command-line library, only what is on this side of the pipes.
 *
 * <p>The pipes are described in {@link InitPipes}.
 */
public final class ContainerInit {
    private ContainerInit() {}

    // tag::preload[]
    /**
     * Classes are loaded lazily, from the host's files. After pivot_root the
     * host's tree is gone: a class first needed then could not be found (from
     * a directory on the classpath; a jar would still be read through the fd
     * the JVM keeps open on it). So everything used after the pivot is loaded
     * before it.
     */
    private static final String[] NEEDED_AFTER_PIVOT = {
        "jocker.process.Credentials", "jocker.capabilities.CapabilityCalls", "jocker.process.Rlimit",
        "jocker.process.Exec", "jocker.process.ExecFailure", "jocker.sys.SysException", "jocker.sys.Fd",
        "jocker.sys.Fd$1", "jocker.sys.Fd$2", "com.sun.jna.LastErrorException", "com.sun.jna.StringArray",
        "jocker.init.ExecFifo", "jocker.sys.JockerException", "jocker.init.Console", "jocker.sys.UnixSocket",
        "com.sun.jna.Memory", "jocker.init.SeccompFilter", "jocker.mounts.Sysctl",
    };
    // end::preload[]

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--train")) {
            Training.run();
            return;
        }
        // Load the native bindings and the classes needed later now, while the host
        // may still be busy: the config can arrive at any moment, and from then on
        // every ms counts.
        LibC.getpid();
        preload();
        InitConfig config;
        try {
            config = InitConfig.read(new DataInputStream(Fd.in(InitPipes.CONFIG_FD)));
        } catch (EOFException hostGone) {
            System.exit(ExecFailure.SETUP_FAILED); // nobody will use this init: leave quietly
            return;
        }
        int code;
        String message;
        try {
            start(config);
            return; // not reached: start() ends in execve
        } catch (ExecFailure e) {
            code = e.exitCode();
            message = e.getMessage();
        } catch (JockerException | IllegalStateException e) {
            code = ExecFailure.SETUP_FAILED;
            message = e.getMessage();
        }
        if (reportedCreated) {
            // the host that created the container is gone: stderr is all there is
            System.err.println("jocker init: " + message);
        } else {
            report(code, message);
        }
        System.exit(code);
    }

    /** Set once the host was told "created": from then on the status pipe is closed. */
    private static boolean reportedCreated;

    /** A frame on the status pipe: a code and a one-line message (see InitPipes). */
    private static void report(int code, String message) throws IOException {
        DataOutputStream out = new DataOutputStream(Fd.out(InitPipes.STATUS_FD));
        out.writeInt(code);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    // tag::init-sequence[]
    static void start(InitConfig config) throws IOException {
        ProcessConfig process = config.process();
        setsid();          // a session of its own: the host forwards signals to it
        LibC.umask(0);     // device nodes and mount points get exactly the modes asked
        if (config.unshareFlags() != 0) {
            unshare(config.unshareFlags());
        }
        // the host's fd on the state directory, closed before the exec
        int stateDir = config.stateDir() == null ? -1 : InitPipes.STATE_DIR_FD;
        if (config.enterPid() != 0) {
            EnterMounts.of(config.enterPid()); // exec: the container exists, enter its filesystem
        } else {
            RootfsSetup.enter(config.rootfs(), process.cwd());
        }
        if (config.hostname() != null) {
            sethostname(config.hostname());
        }
        if (config.console()) {
            Console.setUp(InitPipes.CONSOLE_FD); // from the container's own /dev/ptmx
        }
        for (ProcessConfig.Limit limit : process.rlimits()) {
            Rlimit.apply(limit);
        }
        byte[] seccomp = config.seccomp();
        if (seccomp != null && !process.noNewPrivileges()) {
            SeccompFilter.install(seccomp); // needs CAP_SYS_ADMIN, which the next line drops
        }
        Credentials.apply(process);
        String executable = Exec.resolve(process.args().get(0), process.pathVariable());
        chdir(process.cwd());
        LibC.umask(process.umask());
        if (seccomp != null && process.noNewPrivileges()) {
            SeccompFilter.install(seccomp); // as late as it can be: no_new_privs is set
        }
        if (stateDir >= 0) {
            // "created": all is set up, the command is found; wait for start
            report(InitPipes.CREATED, "");
            Fd.close(InitPipes.STATUS_FD);
            reportedCreated = true;
            ExecFifo.awaitStart(stateDir);
        }
        Exec.execve(executable, process.args(), process.env(), config.dieWithParent());
    }
    // end::init-sequence[]

    private static void preload() {
        ClassLoader loader = ContainerInit.class.getClassLoader();
        for (String name : NEEDED_AFTER_PIVOT) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the init cannot load " + name, e);
            }
        }
    }

    private static void unshare(int flags) {
        try {
            LibC.unshare(flags);
        } catch (LastErrorException e) {
            throw SysException.of(e, "unshare in the init");
        }
    }

    private static void sethostname(String hostname) {
        byte[] name = hostname.getBytes(StandardCharsets.UTF_8);
        try {
            LibC.sethostname(name, name.length);
        } catch (LastErrorException e) {
            throw SysException.of(e, "sethostname " + hostname);
        }
    }

    private static void chdir(String cwd) {
        try {
            LibC.chdir(cwd);
        } catch (LastErrorException e) {
            throw new ExecFailure(ExecFailure.CANNOT_INVOKE,
                    "chdir to cwd \"" + cwd + "\": " + LibC.strerror(e.getErrorCode()));
        }
    }

    private static void setsid() {
        try {
            LibC.setsid();
        } catch (LastErrorException e) {
            throw SysException.of(e, "setsid");
        }
    }
}
