package jocker.cli;

import jocker.runtime.Lifecycle;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
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
    static void writePidFile(java.nio.file.Path file, int pid) throws java.io.IOException {
        if (file != null) {
            jocker.sys.AtomicFile.write(file.toAbsolutePath(),
                    Integer.toString(pid).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
