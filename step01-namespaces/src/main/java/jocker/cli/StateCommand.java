package jocker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** {@code state}: the OCI state of a container, as JSON. */
@Command(name = "state", description = "Print a container's OCI state as JSON.")
public class StateCommand extends RuntimeVerb {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws IOException {
        out().println(JSON.writeValueAsString(lifecycle().state(id).toOci()));
        return 0;
    }
}
