package jocker.cli;

import jocker.process.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kill}: runc's kill. */
@Command(name = "kill", description = "Send a signal (default SIGTERM) to a container's init, or with --all to all its processes.")
public class KillCommand extends RuntimeVerb {
    @Option(names = {"-a", "--all"}, description = "Signal every process of the container.")
    boolean all;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL", description = "Name or number: TERM, SIGKILL, 9 ...")
    String signal = "TERM";

    @Override
    public Integer call() {
        lifecycle().kill(id, Signals.parse(signal), all);
        return 0;
    }
}
