package jocker.cli;

import jocker.sys.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code ps}: the processes of a container (host pids), as runc's ps. */
@Command(name = "ps", description = "List the processes of a container.")
public class PsCommand extends RuntimeVerb {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "table or json (json: the pids).")
    String format = "table";

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws IOException {
        List<Long> pids = lifecycle().processes(id);
        PrintWriter out = out();
        if (format.equals("json")) {
            out.println(Json.PRETTY.writeValueAsString(pids));
        } else if (format.equals("table")) {
            out.printf("%-8s %s%n", "PID", "CMD");
            for (long pid : pids) {
                out.printf("%-8d %s%n", pid, commandLine(pid));
            }
        } else {
            throw new IllegalArgumentException("--format: invalid value \"" + format + "\" (table or json)");
        }
        return 0;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').strip();
        } catch (IOException gone) {
            return "(exited)";
        }
    }
}
