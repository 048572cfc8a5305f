package jocker.cli;

import jocker.runtime.Lifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete}: runc's delete. */
@Command(name = "delete", description = "Delete a stopped or created container (--force: a running one too).")
public class DeleteCommand extends RuntimeVerb {
    @Option(names = {"-f", "--force"}, description = "Kill it first if it is running.")
    boolean force;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        delete(lifecycle(), id, force);
        return 0;
    }

    static void delete(Lifecycle lifecycle, String id, boolean force) {
        if (force && !lifecycle.exists(id)) {
            return; // runc: deleting what is not there, by force, is done
        }
        lifecycle.delete(id, force);
    }
}
