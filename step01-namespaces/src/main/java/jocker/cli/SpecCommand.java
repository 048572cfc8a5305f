package jocker.cli;

import jocker.spec.SpecBuilder;
import jocker.spec.SpecFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code spec}: prints the config.json that {@code run} would use for the same flags. */
@Command(name = "spec", sortOptions = false,
        description = "Print the OCI config.json that `run` builds from these flags (docker's defaults).")
public class SpecCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Root filesystem (default: ${DEFAULT-VALUE}, as in a bundle).")
    Path rootfs = Path.of("rootfs");

    @Mixin
    ProcessOptions process;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "Command and arguments (default: sh).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = command.isEmpty() ? List.of("sh") : command;
        SpecBuilder builder = SpecBuilder.docker(rootfs.toString(), args);
        process.applyTo(builder, rootfs, process.hostname == null ? "jocker" : process.hostname);
        self.commandLine().getOut().println(SpecFile.toJson(customize(builder.build())));
        return 0;
    }

    /** Hook for later steps, as in RunCommand: add what they know to the spec. */
    protected jocker.spec.Spec customize(jocker.spec.Spec spec) {
        return spec;
    }
}
