package jocker.cli;

import jocker.runtime.Container;
import jocker.runtime.ContainerIds;
import jocker.runtime.ContainerResult;
import jocker.runtime.Feature;
import jocker.runtime.Lifecycle;
import jocker.runtime.Stdio;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecException;
import jocker.spec.SpecFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code run}: a command in new namespaces inside a root filesystem, from
 * flags (--rootfs) or from an OCI bundle (--bundle). Later steps extend this
 * class: they add flags with a mixin and override {@link #customize} and
 * {@link #features}.
 */
@Command(name = "run", sortOptions = false,
        description = "Run a command in new namespaces, with pivot_root into a root filesystem.")
public class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    protected CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--bundle", paramLabel = "DIR",
            description = "Run the OCI bundle in DIR (its config.json, as made by `runc spec`).")
    protected Path bundle;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Root filesystem directory.")
    protected Path rootfs;

    @Mixin
    protected ProcessOptions process;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "Command and arguments (after --).")
    protected List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        Container container = container(ContainerIds.random());
        Lifecycle lifecycle = RuntimeOptions.of(self).lifecycle(self, features(container));
        ContainerResult result = lifecycle.run(container, Stdio.INHERIT);
        if (result.failedToStart()) {
            PrintWriter err = self.commandLine().getErr();
            err.println(self.root().name() + ": " + result.error());
            err.flush();
        }
        return finish(container, result);
    }

    /** The container to run: the bundle's spec, or one built from the flags. */
    protected Container container(String id) {
        if (bundle != null) {
            if (rootfs != null || !process.isEmpty() || !command.isEmpty()) {
                throw new SpecException("--bundle takes its rootfs, process and command from config.json:"
                        + " it cannot be combined with --rootfs, process flags or a command");
            }
            Spec spec = SpecFile.read(bundle.resolve(SpecFile.NAME));
            return new Container(id, customize(spec), bundle.toAbsolutePath());
        }
        if (rootfs == null) {
            throw new SpecException("either --rootfs DIR or --bundle DIR is required");
        }
        if (!Files.isDirectory(rootfs)) {
            throw new SpecException("rootfs " + rootfs + ": no such directory");
        }
        Path absolute = rootfs.toAbsolutePath().normalize();
        return new Container(id, specFor(id, absolute), absolute);
    }

    /** The spec from the flags for a rootfs directory (users are looked up in its /etc). */
    protected Spec specFor(String id, Path rootfs) {
        SpecBuilder builder = SpecBuilder.docker(rootfs.toString(), command);
        process.applyTo(builder, rootfs, id.substring(0, 12));
        return customize(builder.build());
    }

    /** Hook for later steps: add what they know to the spec (resources, mounts ...). */
    protected Spec customize(Spec spec) {
        return spec;
    }

    /** Hook for later steps: what they add to the run (a cgroup, a network ...). */
    protected List<Feature> features(Container container) {
        return List.of();
    }

    /** Hook for later steps: report what they measured; returns the exit code. */
    protected int finish(Container container, ContainerResult result) {
        return result.exitCode();
    }
}
