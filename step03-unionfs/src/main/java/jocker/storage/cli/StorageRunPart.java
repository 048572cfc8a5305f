package jocker.storage.cli;

import jocker.cli.RootOption;
import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.runtime.Container;
import jocker.runtime.Feature;
import jocker.spec.SpecException;
import jocker.storage.LayeredContainer;
import jocker.storage.Storage;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** step 3's part of run: a root filesystem stacked from layers, with a writable layer of its own. */
public class StorageRunPart implements RunPart {
    @Mixin
    RootOption root;

    @Option(names = "--layer", paramLabel = "LAYER",
            description = "A layer (a stored layer's id, or a directory to store); the first is the bottom. Repeatable.")
    List<String> layerArgs = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Name the container (kept after it ends, unless --rm).")
    String name;

    @Option(names = "--rm", description = "Remove the container's writable layer when it ends.")
    boolean rm;

    @Option(names = "--storage-driver", paramLabel = "DRIVER", description = "overlay or vfs (default: overlay if it can be mounted here).")
    String storageDriver;

    private LayeredContainer made;

    public Path dataRoot() {
        return root.dataRoot();
    }

    /** --name, or null. */
    public String name() {
        return name;
    }

    /** --rm: the container goes when it ends. */
    public boolean autoRemove() {
        return rm;
    }

    /** Whether this run names its root some other way (--layer, --rootfs, --bundle): then step 4 takes no IMAGE. */
    public boolean hasRoot(RunCommand.Request run) {
        return !layerArgs.isEmpty() || run.rootfs() != null || run.bundle() != null;
    }

    // tag::layered-run[]
    @Override
    public Container container(RunCommand.Request run, String id) {
        if (layerArgs.isEmpty()) {
            if (name != null || rm || storageDriver != null) {
                throw new SpecException("--name, --rm and --storage-driver go with --layer");
            }
            return null; // a plain --rootfs or --bundle, as in step 2
        }
        if (run.rootfs() != null || run.bundle() != null) {
            throw new SpecException("--layer cannot be combined with --rootfs or --bundle");
        }
        return fromLayers(id, layerArgs, null, (rootfs, dir) -> run.specFor(id, rootfs));
    }
    // end::layered-run[]

    /** A container from these layers, with this part's --name, --rm and --storage-driver (step 4 calls it for an image). */
    public Container fromLayers(String id, List<String> layers, String image, LayeredContainer.SpecMaker specs) {
        try {
            made = LayeredContainer.create(Storage.open(root.dataRoot()), id, name, storageDriver, layers, rm, image,
                    specs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return made.container();
    }

    @Override
    public List<Feature> features(Container container) {
        return made == null ? List.of() : List.of(made);
    }
}
