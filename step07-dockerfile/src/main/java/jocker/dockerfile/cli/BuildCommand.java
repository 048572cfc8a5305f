package jocker.dockerfile.cli;

import jocker.cli.Cli;
import jocker.cli.RootOption;
import jocker.dockerfile.build.Builder;
import jocker.image.ImageReference;
import jocker.layers.TreeCopy;
import jocker.sys.JockerException;
import jocker.volumes.cli.VolumeCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code build}: docker build with the classic builder's output. */
@Command(name = "build", description = "Build an image from a Dockerfile and a context (a directory, or - for a tar on stdin).")
public class BuildCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Mixin
    RootOption root;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image. Repeatable.")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile).")
    Path file;

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "A build arg (KEY alone: the host's value). Repeatable.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build up to this stage.")
    String target;

    @Option(names = "--no-cache", description = "Build every step again.")
    boolean noCache;

    @Option(names = "--pull", description = "Pull every image the build uses by name, even one the store has.")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image id.")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image id to FILE.")
    Path iidfile;

    @Option(names = "--network", paramLabel = "NETWORK", description = "The network of RUN's containers (default: bridge).")
    String network = "bridge";

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label of the image. Repeatable.")
    List<String> labels = new ArrayList<>();

    @Parameters(paramLabel = "CONTEXT")
    String context;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = self.commandLine().getOut();
        PrintWriter err = self.commandLine().getErr();
        Path dir = null;
        try {
            List<ImageReference> refs = new ArrayList<>();
            for (String t : tags) {
                refs.add(ImageReference.parse(t));
            }
            Map<String, String> args = new LinkedHashMap<>();
            for (String a : buildArgs) {
                int eq = a.indexOf('=');
                if (eq < 0) {
                    if (System.getenv(a) != null) {
                        args.put(a, System.getenv(a));
                    }
                } else {
                    args.put(a.substring(0, eq), a.substring(eq + 1));
                }
            }
            Path contextDir;
            if (context.equals("-")) {
                dir = Files.createTempDirectory("jocker-build-context");
                jocker.dockerfile.build.ContextTar.extract(System.in, dir);
                contextDir = dir;
            } else {
                contextDir = Path.of(context);
            }
            Path dockerfile = file == null ? null : file.isAbsolute() || context.equals("-") ? contextDir.resolve(file.toString()) : file;
            Object step = self.root().userObject();
            Builder.Options o = new Builder.Options(contextDir, dockerfile, refs, args, target, noCache, pull, quiet, iidfile,
                    network, VolumeCommands.keyValues(labels, "--label"),
                    words -> {
                        List<String> all = new ArrayList<>(List.of(words.get(0), "--root", root.dataRoot().toString()));
                        all.addAll(words.subList(1, words.size()));
                        return Cli.execute(step, new PrintWriter(System.out, true), err, all.toArray(new String[0]));
                    });
            new Builder(root.dataRoot(), out).build(o);
            return 0;
        } catch (JockerException e) {
            out.flush();
            err.println(e.getMessage());
            err.flush();
            return 1;
        } finally {
            if (dir != null) {
                TreeCopy.deleteTree(dir);
            }
        }
    }
}
