package jocker.cli;

import jocker.init.ContainerInit;
import jocker.rootfs.UserResolver;
import jocker.runtime.ContainerIds;
import jocker.runtime.InitJvm;
import jocker.runtime.SpecConverter;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
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
        return 0;
    }
}
