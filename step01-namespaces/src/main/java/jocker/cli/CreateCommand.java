package jocker.cli;

import jocker.runtime.Container;
import jocker.runtime.Lifecycle;
import jocker.runtime.Stdio;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import jocker.spec.SpecFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/** {@code create}: runc's create. The container is set up and waits for {@code start}. */
@Command(name = "create", description = "Create a container from an OCI bundle; its process waits for start.")
public class CreateCommand extends RuntimeVerb {
    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "The bundle (default: the current directory).")
    Path bundle = Path.of("");

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the container's init pid to FILE.")
    Path pidFile;

    @Option(names = "--console-socket", paramLabel = "SOCKET",
            description = "Unix socket to send the terminal's master end to (with process.terminal).")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "Not supported: jocker always uses pivot_root.")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "Accepted: jocker does not make a session keyring.")
    boolean noNewKeyring;

    @Option(names = "--preserve-fds", paramLabel = "N", description = "Pass N more fds (after 0-2); only 0 is supported.")
    int preserveFds;

    @Parameters(index = "0", paramLabel = "ID", description = "The container's id.")
    String id;

    @Override
    public Integer call() throws IOException {
        Path dir = bundle.toAbsolutePath().normalize();
        Spec spec = SpecFile.read(dir.resolve(SpecFile.NAME));
        refuseWhatIsMissing(spec);
        Stdio stdio = consoleSocket != null ? Stdio.console(consoleSocket.toAbsolutePath()) : Stdio.INHERIT;
        Lifecycle.Created created = lifecycle().create(new Container(id, spec, dir), stdio, true);
        writePidFile(pidFile, created.state().pid());
        return 0;
    }

    private void refuseWhatIsMissing(Spec spec) {
        if (noPivot) {
            throw new SpecException("--no-pivot is not supported: jocker always uses pivot_root");
        }
        if (preserveFds != 0) {
            throw new SpecException("--preserve-fds " + preserveFds + " is not supported");
        }
        boolean terminal = spec.process() != null && spec.process().terminal();
        if (terminal && consoleSocket == null) {
            throw new SpecException("process.terminal needs --console-socket");
        }
        if (!terminal && consoleSocket != null) {
            throw new SpecException("--console-socket goes with process.terminal: true");
        }
    }
}
