package jocker.cli;

import jocker.capabilities.Capability;
import jocker.runtime.Container;
import jocker.runtime.ContainerIds;
import jocker.runtime.ContainerResult;
import jocker.runtime.Feature;
import jocker.runtime.Stdio;
import jocker.runtime.TerminalRelay;
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
 * flags (--rootfs) or from an OCI bundle (--bundle). Every step's run is this
 * command with the step's parts (see RunPart) added as mixins: their flags,
 * their share of the container, their features.
 */
@Command(name = "run", sortOptions = false,
        description = "Run a command in new namespaces, with pivot_root into a root filesystem.")
public final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--bundle", paramLabel = "DIR",
            description = "Run the OCI bundle in DIR (its config.json, as made by `runc spec`).")
    Path bundle;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Root filesystem directory.")
    Path rootfs;

    @Mixin
    ProcessOptions process;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "Command and arguments (after --).")
    List<String> command = new ArrayList<>();

    // tag::run-request[]
    /**
     * What the parts of one run share: step 1's flags, the command (a part
     * may take its first word: step 4's IMAGE), and the parts themselves.
     */
    public final class Request {
        private final List<RunPart> parts;
        private final String id;

        Request(List<RunPart> parts, String id) {
            this.parts = parts;
            this.id = id;
        }

        /** The id of the container this run makes. */
        public String id() {
            return id;
        }

        public Path bundle() {
            return bundle;
        }

        public Path rootfs() {
            return rootfs;
        }

        public ProcessOptions process() {
            return process;
        }

        /** The command after the options; a part may take words off its front. */
        public List<String> command() {
            return command;
        }

        /** Another part of this run, by type (step 4's image part uses step 3's storage part). */
        public <P extends RunPart> P part(Class<P> type) {
            for (RunPart p : parts) {
                if (type.isInstance(p)) {
                    return type.cast(p);
                }
            }
            throw new IllegalStateException("this run has no " + type.getSimpleName());
        }

        /** The last part of this run that is one (a later step's part takes over what an earlier one did). */
        public <P> P last(Class<P> type) {
            for (int i = parts.size() - 1; i >= 0; i--) {
                if (type.isInstance(parts.get(i))) {
                    return type.cast(parts.get(i));
                }
            }
            throw new IllegalStateException("this run has no " + type.getSimpleName());
        }

        public PrintWriter err() {
            return self.commandLine().getErr();
        }

        public String program() {
            return self.root().name();
        }

        /** The spec from the flags, the user resolved in rootfs: step 1's, then every part's additions. */
        public Spec specFor(String id, Path rootfsDir) {
            SpecBuilder builder = SpecBuilder.docker(rootfsDir.toString(), command);
            process.applyTo(builder, rootfsDir, id.substring(0, 12));
            // tag::no-mknod[]
            if (parts.stream().noneMatch(RunPart::appliesDeviceRules)) {
                builder.drop(Capability.MKNOD); // no device cgroup yet (step 2): no device nodes at all
            }
            // end::no-mknod[]
            return customize(builder.build());
        }

        /** Every part's additions, in step order. */
        public Spec customize(Spec spec) {
            for (RunPart p : parts) {
                spec = p.customize(this, spec);
            }
            return spec;
        }
    }
    // end::run-request[]

    // tag::run-call[]
    @Override
    public Integer call() {
        List<RunPart> parts = parts();
        Request request = new Request(parts, ContainerIds.random());
        Container container = container(request, request.id());
        List<Feature> features = new ArrayList<>();
        for (RunPart p : parts) {
            features.addAll(p.features(container));
        }
        ContainerResult result;
        boolean terminal = container.spec().process() != null && container.spec().process().terminal();
        try (TerminalRelay relay = terminal ? TerminalRelay.start() : null) {
            Stdio stdio = relay != null ? relay.stdio() : Stdio.INHERIT;
            result = RuntimeOptions.of(self).lifecycle(self, features).run(container, stdio);
        }
        if (result.failedToStart()) {
            request.err().println(request.program() + ": " + result.error());
            request.err().flush();
        }
        int code = result.exitCode();
        for (RunPart p : parts) {
            code = p.finish(request, container, result, code);
        }
        return code;
    }

    /** The container: from the last part that supplies one, else from --bundle or --rootfs. */
    private Container container(Request request, String id) {
        List<RunPart> parts = parts();
        for (int i = parts.size() - 1; i >= 0; i--) {
            Container c = parts.get(i).container(request, id);
            if (c != null) {
                return c;
            }
        }
        if (bundle != null) {
            if (rootfs != null || !process.isEmpty() || !command.isEmpty()) {
                throw new SpecException("--bundle takes its rootfs, process and command from config.json:"
                        + " it cannot be combined with --rootfs, process flags or a command");
            }
            Spec spec = SpecFile.read(bundle.resolve(SpecFile.NAME));
            return new Container(id, request.customize(spec), bundle.toAbsolutePath());
        }
        if (rootfs == null) {
            throw new SpecException("either --rootfs DIR or --bundle DIR is required");
        }
        if (!Files.isDirectory(rootfs)) {
            throw new SpecException("rootfs " + rootfs + ": no such directory");
        }
        Path absolute = rootfs.toAbsolutePath().normalize();
        return new Container(id, request.specFor(id, absolute), absolute);
    }
    // end::run-call[]

    /** This run's parts: the mixins the step's root command added (see RuntimeVerbs). */
    private List<RunPart> parts() {
        List<RunPart> parts = new ArrayList<>();
        for (CommandSpec mixin : self.mixins().values()) {
            if (mixin.userObject() instanceof RunPart p) {
                parts.add(p);
            }
        }
        return parts;
    }
}
