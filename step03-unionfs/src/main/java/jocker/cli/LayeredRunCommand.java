package jocker.cli;

import jocker.layers.LayerStore;
import jocker.runtime.Container;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import jocker.spec.SpecFile;
import jocker.storage.ContainerRecord;
import jocker.storage.Owner;
import jocker.storage.Storage;
import jocker.storage.StorageDriver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** step 3's run: step 2's, with a root filesystem stacked from layers and a writable layer of its own. */
@Command(name = "run", sortOptions = false,
        description = "Run a command in a container whose root filesystem is a stack of layers (copy-on-write).")
public class LayeredRunCommand extends LimitedRunCommand {
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

    private Storage storage;
    private ContainerRecord record;

    /** The image the layers come from, recorded with the container (step 4 sets it). */
    protected String image;

    /** The container's own directory in the store (its writable layer and more), once {@link #container} made it. */
    protected Path containerDir() {
        return storage.containers().dir(record);
    }

    // tag::layered-container[]
    @Override
    protected Container container(String id) {
        if (layerArgs.isEmpty()) {
            if (name != null || rm || storageDriver != null) {
                throw new SpecException("--name, --rm and --storage-driver go with --layer");
            }
            return super.container(id); // a plain --rootfs, as in step 2
        }
        if (rootfs != null || bundle != null) {
            throw new SpecException("--layer cannot be combined with --rootfs or --bundle");
        }
        try {
            storage = Storage.open(root.dataRoot());
            List<LayerStore.Layer> stack = new ArrayList<>();
            for (String arg : layerArgs) {
                Path dir = Path.of(arg);
                stack.add(Files.isDirectory(dir) ? storage.layers().importDirectory(dir) : storage.layers().get(arg));
            }
            StorageDriver driver = storage.driver(storageDriver);
            List<String> ids = stack.stream().map(LayerStore.Layer::id).toList();
            long me = Owner.self();
            record = storage.containers().create(new ContainerRecord(id, name, driver.name(), ids, rm, me,
                    Owner.startTime(me), Instant.now().toString(), image));
            Path dir = storage.containers().dir(record);
            try {
                StorageDriver.Root rootfs = driver.prepare(dir, stack);
                // the spec is built where the merged files can be read (users in its /etc/passwd)
                Spec spec = driver.withView(dir, stack, view -> specFor(id, rootfs.path()));
                if (rootfs.mount() != null) {
                    spec = withRootMount(spec, rootfs.mount());
                }
                // kept beside the layers: what the container was started with, as in a bundle
                Files.writeString(dir.resolve(SpecFile.NAME), SpecFile.toJson(spec));
                return new Container(id, spec, storage.layers().dir());
            } catch (IOException | RuntimeException e) {
                storage.containers().remove(record);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    // end::layered-container[]

    private static Spec withRootMount(Spec spec, Spec.Mount rootMount) {
        List<Spec.Mount> mounts = new ArrayList<>();
        mounts.add(rootMount);
        mounts.addAll(spec.mounts());
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), mounts, spec.linux(),
                spec.annotations(), spec.hooks());
    }

    @Override
    protected List<Feature> features(Container container) {
        List<Feature> features = new ArrayList<>(super.features(container));
        if (record != null) {
            features.add(new Feature() {
                // tag::owner-is-the-init[]
                /**
                 * From here on the container's owner is its init, not this JVM:
                 * it runs exactly while that process (pid and start time) lives,
                 * even if this JVM is killed and the init outlives it, and no
                 * later command deletes the storage of a container that runs.
                 */
                @Override
                public void started(Container c, long pid) {
                    try {
                        record = record.owned(pid, Owner.startTime(pid));
                        storage.containers().save(record);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                // end::owner-is-the-init[]

                @Override
                public void cleanup(Container c) {
                    try {
                        if (rm) {
                            storage.containers().remove(record);
                        } else {
                            storage.containers().save(record.owned(0, 0));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        return features;
    }
}
