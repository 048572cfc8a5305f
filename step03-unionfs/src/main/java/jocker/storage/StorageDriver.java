package jocker.storage;

import jocker.layers.LayerStore;
import jocker.spec.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a container's root filesystem from a stack of layers and a
 * writable layer of its own. overlay stacks them in the kernel, vfs copies
 * them into one plain directory.
 */
public interface StorageDriver {
    String name();

    /**
     * The root filesystem for a container whose files live in containerDir.
     *
     * @param path  the rootfs directory for the spec (root.path)
     * @param mount the filesystem the container's init mounts on it (a spec
     *              mount with destination "/"), or null for a plain directory
     */
    record Root(Path path, Spec.Mount mount) {
    }

    /** Creates the container's writable layer (if new) and returns its root; the layers go bottom first. */
    Root prepare(Path containerDir, List<LayerStore.Layer> layers) throws IOException;

    /** What the container changed, compared with its layers, in `docker diff`'s form. */
    List<Change> diff(Path containerDir, List<LayerStore.Layer> layers) throws IOException;

    /** Work on the container's merged view, read-only (export, user lookup). */
    interface ViewWork<T> {
        T on(Path root) throws IOException;
    }

    <T> T withView(Path containerDir, List<LayerStore.Layer> layers, ViewWork<T> work) throws IOException;

    /** Bytes on disk the container's own layer takes. */
    long ownBytes(Path containerDir) throws IOException;
}
