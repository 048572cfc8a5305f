package jocker.cli;

import jocker.runtime.Lifecycle;
import jocker.sys.AtomicFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What every runc-style verb shares: the lifecycle of this step's runtime,
 * under the global --root, and where to print. Each verb is a few lines.
 */
abstract class RuntimeVerb implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    Lifecycle lifecycle() {
        return RuntimeOptions.of(self).lifecycle(self);
    }

    PrintWriter out() {
        return self.commandLine().getOut();
    }

    /** --pid-file: the pid, as runc writes it (no newline), atomically. */
    static void writePidFile(Path file, int pid) throws IOException {
        if (file != null) {
            AtomicFile.write(file.toAbsolutePath(),
                    Integer.toString(pid).getBytes(StandardCharsets.UTF_8));
        }
    }
}
