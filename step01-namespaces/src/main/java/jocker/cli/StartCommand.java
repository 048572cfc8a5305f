package jocker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start}: runc's start. The created container's process runs. */
@Command(name = "start", description = "Start a created container: its process runs.")
public class StartCommand extends RuntimeVerb {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        lifecycle().start(id);
        return 0;
    }
}
