package jocker.cli;

import jocker.runtime.Lifecycle;
import jocker.runtime.State;
import jocker.runtime.StateJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code list}: the containers in the state directory, as runc lists them. */
@Command(name = "list", description = "List the runtime's containers.")
public class ListCommand extends RuntimeVerb {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "table or json (default: table).")
    String format = "table";

    @Option(names = {"-q", "--quiet"}, description = "Only the ids.")
    boolean quiet;

    @Override
    public Integer call() {
        print(lifecycle(), out(), format, quiet);
        return 0;
    }

    static void print(Lifecycle lifecycle, PrintWriter out, String format, boolean quiet) {
        List<State> states = lifecycle.list();
        if (quiet) {
            states.forEach(s -> out.println(s.id()));
        } else if (format.equals("json")) {
            List<Map<String, Object>> all = new ArrayList<>();
            states.forEach(s -> all.add(s.toOci()));
            out.println(StateJson.pretty(all));
        } else if (format.equals("table")) {
            String row = "%-20s %-8s %-10s %-40s %s%n";
            out.printf(row, "ID", "PID", "STATUS", "BUNDLE", "CREATED");
            for (State s : states) {
                out.printf(row, s.id(), s.toOci().get("pid"), s.status().ociName(), s.bundle(), s.created());
            }
        } else {
            throw new IllegalArgumentException("--format: invalid value \"" + format + "\" (table or json)");
        }
    }
}
