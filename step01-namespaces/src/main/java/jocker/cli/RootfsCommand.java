package jocker.cli;

import jocker.rootfs.BusyboxRootfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rootfs busybox DIR}: a root filesystem made from the host's busybox-static. */
@Command(name = "rootfs", description = "Make a root filesystem.", subcommands = RootfsCommand.Busybox.class)
public class RootfsCommand {
    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Command(name = "busybox", description = "Make a rootfs from the host's busybox-static: no download needed.")
    static class Busybox implements Callable<Integer> {
        @picocli.CommandLine.Spec
        CommandSpec self;

        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;

        @Option(names = "--busybox", paramLabel = "FILE", description = "The static busybox binary (default: ${DEFAULT-VALUE}).")
        Path busybox = BusyboxRootfs.DEFAULT_BUSYBOX;

        @picocli.CommandLine.Mixin
        RootOption root;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
                description = "Directory to create (must not exist, or be empty; default: ROOT/rootfs/busybox).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Path target = dir != null ? dir : root.dataRoot().resolve("rootfs/busybox");
            int links = BusyboxRootfs.create(target, busybox);
            self.commandLine().getOut().println("created " + target + ": busybox with " + links + " applet links");
            return 0;
        }
    }
}
