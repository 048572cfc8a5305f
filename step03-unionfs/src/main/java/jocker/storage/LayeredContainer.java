package jocker.storage;

import jocker.layers.LayerStore;
import jocker.runtime.Container;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.spec.SpecFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A container whose root filesystem is a stack of layers with a writable
 * layer of its own, registered in the store: library code, so that run, a
 * builder and a daemon make containers the same way. It is also the
 * feature that keeps the store's record true while the container lives.
 */
public final class LayeredContainer implements Feature {
    /** Builds the spec once the root is ready: its path (the merged files can be read), and the container's own directory. */
    public interface SpecMaker {
        Spec make(Path rootfs, Path containerDir);
    }

    private final Storage storage;
    private final Container container;
    private ContainerRecord record;

    private LayeredContainer(Storage storage, Container container, ContainerRecord record) {
        this.storage = storage;
        this.container = container;
        this.record = record;
    }

    public Container container() {
        return container;
    }

    // tag::layered-container[]
    /**
     * Registers container id (name, if given, claimed), prepares its root from
     * the layers (a stored layer's id, or a directory to store as one) with
     * the storage driver named (null: overlay if it works here), and builds its
     * spec there. On any failure nothing stays in the store.
     */
    public static LayeredContainer create(Storage storage, String id, String name, String driverName,
                                          List<String> layers, boolean autoRemove, String image, SpecMaker specs) {
        try {
            List<LayerStore.Layer> stack = new ArrayList<>();
            for (String arg : layers) {
                Path dir = Path.of(arg);
                stack.add(Files.isDirectory(dir) ? storage.layers().importDirectory(dir) : storage.layers().get(arg));
            }
            StorageDriver driver = storage.driver(driverName);
            List<String> ids = stack.stream().map(LayerStore.Layer::id).toList();
            long me = Owner.self();
            ContainerRecord record = storage.containers().create(new ContainerRecord(id, name, driver.name(), ids,
                    autoRemove, me, Owner.startTime(me), Instant.now().toString(), image));
            Path dir = storage.containers().dir(record);
            try {
                StorageDriver.Root rootfs = driver.prepare(dir, stack);
                // the spec is built where the merged files can be read (users in its /etc/passwd)
                Spec spec = driver.withView(dir, stack, view -> specs.make(rootfs.path(), dir));
                if (rootfs.mount() != null) {
                    spec = withRootMount(spec, rootfs.mount());
                }
                // kept beside the layers: what the container was started with, as in a bundle
                Files.writeString(dir.resolve(SpecFile.NAME), SpecFile.toJson(spec));
                return new LayeredContainer(storage, new Container(id, spec, storage.layers().dir()), record);
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

    // tag::owner-is-the-init[]
    /**
     * From here on the container's owner is its init, not this JVM: it runs
     * exactly while that process (pid and start time) lives, even if this JVM
     * is killed and the init outlives it, and no later command deletes the
     * storage of a container that runs.
     */
    @Override
    public void started(Container c, long pid) {
        record = record.owned(pid, Owner.startTime(pid));
        save(record);
    }
    // end::owner-is-the-init[]

    /** It ended: a --rm container's writable layer goes; a kept one is marked as not running. */
    @Override
    public void cleanup(Container c) {
        try {
            if (record.autoRemove()) {
                storage.containers().remove(record);
            } else {
                storage.containers().save(record.owned(0, 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save(ContainerRecord r) {
        try {
            storage.containers().save(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
