package jocker.cli;

import jocker.init.ContainerInit;
import jocker.rootfs.UserResolver;
import jocker.runtime.ContainerIds;
import jocker.runtime.InitJvm;
import jocker.runtime.SpecConverter;
import jocker.runtime.State;
import jocker.runtime.StateStore;
import jocker.runtime.Status;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecFile;
import jocker.sys.FileTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Hidden: walks the code paths of a container start without starting one,
 * so bin/stepNN can record a class-data-sharing archive (JVM option
 * -XX:ArchiveClassesAtExit) that later starts of both JVMs, the host's and
 * the init's, map instead of loading those classes again.
 */
@Command(name = "cds-train", hidden = true)
public class CdsTrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    CommandSpec self;

    @Override
    public Integer call() throws Exception {
        Object rootCommand = self.root().userObject();
        CommandTree.full(rootCommand.getClass().getDeclaredConstructor().newInstance())
                .parseArgs("run", "--rootfs", "/", "-h", "box", "-e", "A=B", "-w", "/",
                        "-u", "0:0", "--read-only", "--", "/bin/true");
        Spec spec = SpecBuilder.docker("/", List.of("/bin/true")).hostname("box")
                .user(UserResolver.resolve(Path.of("/"), "0").user()).build();
        SpecFile.parse(SpecFile.toJson(spec));
        SpecConverter.convert(spec, Path.of("/"));
        InitJvm.command();
        ContainerIds.random();
        ContainerInit.main(new String[] {"--train"});
        verbs(rootCommand);
        return 0;
    }

    /**
     * The verbs an engine calls, on a throwaway state root: state of a
     * recorded container, and each verb up to "does not exist", by both paths
     * (QuickVerbs and picocli's), then list and the help they print.
     */
    private static void verbs(Object rootCommand) throws Exception {
        Path scratch = Files.createTempDirectory("jocker-cds-train");
        try {
            StateStore store = new StateStore(scratch);
            store.claim("train");
            store.save(new State(Spec.OCI_VERSION, "train", Status.CREATED, 0, 0, "/", "/", "2026-01-01T00:00:00Z",
                    Map.of("a", "b")));
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            String root = "--root=" + scratch;
            for (String[] args : List.of(new String[] {root, "state", "train"}, new String[] {root, "start", "nope"},
                    new String[] {root, "kill", "nope", "KILL"}, new String[] {root, "delete", "--force", "nope"},
                    new String[] {root, "delete", "nope"}, new String[] {root, "list"},
                    new String[] {root, "list", "--format", "json"})) {
                QuickVerbs.run(rootCommand, nowhere, nowhere, args);
                Cli.execute(rootCommand, nowhere, nowhere, args);
            }
            for (String[] args : List.of(new String[] {"--help"}, new String[] {"state", "--help"}, new String[] {"fly"})) {
                Cli.execute(rootCommand, nowhere, nowhere, args);
            }
            store.remove("train");
        } finally {
            FileTree.delete(scratch);
        }
    }
}
