package jocker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import jocker.rootfs.UserResolver;
import jocker.runtime.Lifecycle;
import jocker.runtime.Stdio;
import jocker.runtime.TerminalRelay;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import jocker.sys.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code exec}: runc's exec. The process comes from --process (the
 * process section of a spec, as the engines write it) or from the
 * container's own process with the command and flags given here.
 */
@Command(name = "exec", description = "Run another process in a running container.")
public class ExecCommand extends RuntimeVerb {
    @Option(names = {"-p", "--process"}, paramLabel = "FILE", description = "The process as JSON (a spec's process section).")
    Path processFile;

    @Option(names = {"-d", "--detach"}, description = "Do not wait for the process.")
    boolean detach;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process's pid to FILE.")
    Path pidFile;

    @Option(names = {"-t", "--tty"}, description = "Give the process a terminal: its master to --console-socket, or relayed here in the foreground.")
    boolean tty;

    @Option(names = "--console-socket", paramLabel = "SOCKET", description = "Unix socket to send the terminal's master end to.")
    Path consoleSocket;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory in the container.")
    String cwd;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "Run as this uid (and gid).")
    String user;

    @Option(names = "--no-new-privs", description = "Set no_new_privs for the process.")
    boolean noNewPrivs;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (without --process).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Lifecycle lifecycle = lifecycle();
        Spec.Process process = processFile != null ? fromFile() : fromFlags(lifecycle);
        boolean terminal = tty || process.terminal();
        if (!terminal && consoleSocket != null) {
            throw new SpecException("--console-socket goes with --tty");
        }
        if (terminal && consoleSocket == null && detach) {
            throw new SpecException("a detached process with a terminal (--tty --detach) needs --console-socket");
        }
        // in the foreground without a console socket, the terminal is relayed here, as runc exec -t does
        try (TerminalRelay relay = terminal && consoleSocket == null ? TerminalRelay.start() : null) {
            Stdio stdio = relay != null ? relay.stdio()
                    : terminal ? Stdio.console(consoleSocket.toAbsolutePath()) : Stdio.INHERIT;
            Lifecycle.Created exec = lifecycle.exec(id, process, stdio, detach);
            writePidFile(pidFile, exec.state().pid());
            return detach ? 0 : exec.exit().join();
        }
    }

    private Spec.Process fromFile() throws IOException {
        if (!command.isEmpty()) {
            throw new SpecException("--process takes the command from " + processFile + ": give no command as well");
        }
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(processFile), Spec.Process.class);
        } catch (JsonProcessingException e) {
            throw new SpecException(processFile + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** The container's own process, with this command and these flags. */
    private Spec.Process fromFlags(Lifecycle lifecycle) {
        if (command.isEmpty()) {
            throw new SpecException("exec needs a command, or --process FILE");
        }
        Spec.Process base = lifecycle.store().loadSpec(id).process();
        List<String> environment = new ArrayList<>(base.env());
        environment.addAll(env);
        Spec.User u = base.user();
        if (user != null) {
            // names are looked up in the container's own /etc/passwd and /etc/group
            u = UserResolver.resolve(Path.of(lifecycle.state(id).rootfs()), user).user();
        }
        return new Spec.Process(false, u, command, environment, cwd != null ? cwd : base.cwd(), base.capabilities(),
                base.rlimits(), noNewPrivs || base.noNewPrivileges());
    }
}
