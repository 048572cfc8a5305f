package jocker.storage;

import jocker.layers.LayerStore;
import jocker.layers.TreeCopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * vfs, docker's fallback driver: the layers are copied, one on top of the
 * other, into a plain directory that the container then writes to. It
 * works on any filesystem, and costs a full copy of the image for every
 * container, in time and in disk.
 */
public final class VfsDriver implements StorageDriver {
    @Override
    public String name() {
        return "vfs";
    }

    // tag::vfs-prepare[]
    @Override
    public Root prepare(Path containerDir, List<LayerStore.Layer> stack) throws IOException {
        Path rootfs = containerDir.resolve("rootfs");
        if (!Files.isDirectory(rootfs)) {
            Path tmp = Files.createTempDirectory(containerDir, ".rootfs-");
            try {
                for (LayerStore.Layer layer : stack) {
                    TreeCopy.copy(layer.diff(), tmp, TreeCopy.Mode.APPLY); // whiteouts delete, opaque dirs empty
                }
                Files.move(tmp, rootfs);
            } catch (IOException | RuntimeException e) {
                TreeCopy.deleteTree(tmp);
                throw e;
            }
        }
        return new Root(rootfs, null);
    }
    // end::vfs-prepare[]

    @Override
    public List<Change> diff(Path containerDir, List<LayerStore.Layer> stack) throws IOException {
        return Changes.ofTrees(containerDir.resolve("rootfs"), MergedLayers.of(stack));
    }

    @Override
    public <T> T withView(Path containerDir, List<LayerStore.Layer> stack, ViewWork<T> work) throws IOException {
        return work.on(containerDir.resolve("rootfs"));
    }

    @Override
    public long ownBytes(Path containerDir) throws IOException {
        return DiskUsage.of(containerDir.resolve("rootfs"));
    }
}
