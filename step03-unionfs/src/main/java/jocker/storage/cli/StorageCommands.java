package jocker.storage.cli;

import jocker.cli.RootOption;
import jocker.layers.LayerStore;
import jocker.storage.Change;
import jocker.storage.ContainerRecord;
import jocker.storage.Storage;
import jocker.storage.StorageDriver;
import jocker.storage.TarExport;
import jocker.sys.JockerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** step 3's commands on layers and kept containers: layer, diff, export, ps, rm. */
public final class StorageCommands {
    private StorageCommands() {}

    /** A record's creation time, for sorting newest first; a missing or unreadable one sorts as the oldest. */
    public static Instant createdAt(String created) {
        try {
            return created == null ? Instant.EPOCH : Instant.parse(created);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** What every storage command shares: --root, the store, and tidying up after dead runs. */
    public abstract static class StorageCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        protected CommandSpec self;

        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;

        @Mixin
        protected RootOption root;

        protected Storage storage() throws IOException {
            return Storage.open(root.dataRoot());
        }

        /** A kept container with what its files are made of. */
        public record Found(ContainerRecord record, Path dir, StorageDriver driver, List<LayerStore.Layer> layers) {
        }

        protected Found find(String ref) throws IOException {
            Storage storage = storage();
            ContainerRecord c = storage.containers().find(ref);
            List<LayerStore.Layer> stack = new ArrayList<>();
            for (String id : c.layers()) {
                stack.add(storage.layers().get(id));
            }
            return new Found(c, storage.containers().dir(c), storage.driver(c.driver()), stack);
        }

        protected PrintWriter out() {
            return self.commandLine().getOut();
        }
    }

    @Command(name = "layer", description = "Store and list layers.", subcommands = {LayerAdd.class, LayerList.class})
    public static class Layer {
        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;
    }

    @Command(name = "add", description = "Store a directory as a layer; print its id (the digest of its content).")
    static class LayerAdd extends StorageCommand {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws IOException {
            out().println(storage().layers().importDirectory(dir).id());
            return 0;
        }
    }

    @Command(name = "ls", description = "List the stored layers.")
    static class LayerList extends StorageCommand {
        @Override
        public Integer call() throws IOException {
            for (LayerStore.Layer l : storage().layers().list()) {
                out().println(l.id() + "  " + l.link());
            }
            return 0;
        }
    }

    @Command(name = "diff", description = "List what a container changed: A added, C changed, D deleted.")
    public static class Diff extends StorageCommand {
        @Parameters(paramLabel = "CONTAINER")
        String ref;

        @Override
        public Integer call() throws IOException {
            Found c = find(ref);
            for (Change change : c.driver().diff(c.dir(), c.layers())) {
                out().println(change);
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Write a container's whole filesystem as a tar archive.")
    public static class Export extends StorageCommand {
        @Parameters(paramLabel = "CONTAINER")
        String ref;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;

        @Override
        public Integer call() throws IOException {
            Found c = find(ref);
            if (output == null && System.console() != null) {
                throw new JockerException("refusing to write a tar archive to a terminal: use -o FILE or redirect");
            }
            Path tmp = output == null ? null : Files.createTempFile(output.toAbsolutePath().getParent(), ".export-", ".tar");
            try (OutputStream out = new BufferedOutputStream(tmp == null ? System.out : Files.newOutputStream(tmp))) {
                c.driver().withView(c.dir(), c.layers(), view -> TarExport.write(view, out));
            } catch (IOException | RuntimeException e) {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
                throw e;
            }
            if (tmp != null) {
                Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return 0;
        }
    }

    @Command(name = "ps", description = "List the containers kept in the store.")
    public static class Ps extends StorageCommand {
        @Override
        public Integer call() throws IOException {
            Storage storage = storage();
            out().printf("%-12s  %-16s  %-7s  %-6s  %s%n", "CONTAINER ID", "NAME", "DRIVER", "LAYERS", "STATUS");
            List<ContainerRecord> list = new ArrayList<>(storage.containers().list());
            // newest first, as docker ps lists them
            list.sort(Comparator.comparing((ContainerRecord c) -> createdAt(c.created())).reversed());
            for (ContainerRecord c : list) {
                out().printf("%-12s  %-16s  %-7s  %-6d  %s%n", c.shortId(), c.name() == null ? "" : c.name(), c.driver(),
                        c.layers().size(), storage.containers().isRunning(c) ? "running" : "exited");
            }
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove containers and their writable layers.")
    public static class Rm extends StorageCommand {
        @Parameters(paramLabel = "CONTAINER", arity = "1..*")
        List<String> refs;

        @Override
        public Integer call() throws IOException {
            Storage storage = storage();
            for (String ref : refs) {
                ContainerRecord c = storage.containers().find(ref);
                if (storage.containers().isRunning(c)) {
                    throw new JockerException("container " + ref + " is running: stop it first");
                }
                remove(storage, c);
                out().println(ref);
            }
            return 0;
        }

        /** Removes a container that does not run (a later step removes more with it: step 5's rm -v, its volumes). */
        protected void remove(Storage storage, ContainerRecord c) throws IOException {
            storage.containers().remove(c);
        }
    }
}
