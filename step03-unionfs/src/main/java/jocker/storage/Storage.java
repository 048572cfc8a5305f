package jocker.storage;

import jocker.layers.LayerStore;
import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The data root's stores, and the storage driver to use: overlay when this host can mount it, else vfs. */
public final class Storage {
    private final LayerStore layers;
    private final ContainerStore containers;

    public Storage(Path dataRoot) {
        this.layers = new LayerStore(dataRoot);
        this.containers = new ContainerStore(dataRoot);
    }

    public LayerStore layers() {
        return layers;
    }

    public ContainerStore containers() {
        return containers;
    }

    /**
     * The stores of a data root, after tidying what dead step03 processes
     * left: their work directories (Scratch), their containers' layers
     * (ContainerStore.recover) and their cgroups, which step 2's cleanup
     * hook never got to remove.
     */
    public static Storage open(Path dataRoot) throws IOException {
        Storage storage = new Storage(dataRoot);
        storage.layers().collectScratch();
        List<ContainerRecord> dead = storage.containers().recover();
        if (!dead.isEmpty()) {
            jocker.cgroups.CgroupDriver cgroups = jocker.cgroups.CgroupDriver.detect();
            for (ContainerRecord c : dead) {
                cgroups.removeIfEmpty(c.id());
            }
        }
        return storage;
    }

    /** The driver named, or (null) the best one this host supports. */
    public StorageDriver driver(String name) {
        if (name == null) {
            return OverlayDriver.probe(layers) == null ? new OverlayDriver(layers) : new VfsDriver();
        }
        return switch (name) {
            case "overlay", "overlay2" -> {
                String problem = OverlayDriver.probe(layers);
                if (problem != null) {
                    throw new JockerException("storage driver overlay: " + problem + " (use --storage-driver vfs)");
                }
                yield new OverlayDriver(layers);
            }
            case "vfs" -> new VfsDriver();
            default -> throw new JockerException("unknown storage driver \"" + name + "\" (overlay or vfs)");
        };
    }
}
