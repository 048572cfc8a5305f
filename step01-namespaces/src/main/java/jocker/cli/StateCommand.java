package jocker.cli;

import jocker.runtime.Lifecycle;
import jocker.runtime.StateJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code state}: the OCI state of a container, as JSON. */
@Command(name = "state", description = "Print a container's OCI state as JSON.")
public class StateCommand extends RuntimeVerb {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        print(lifecycle(), out(), id);
        return 0;
    }

    static void print(Lifecycle lifecycle, PrintWriter out, String id) {
        out.println(StateJson.pretty(lifecycle.state(id).toOci()));
    }
}
