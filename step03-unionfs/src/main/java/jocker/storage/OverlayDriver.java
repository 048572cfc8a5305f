package jocker.storage;

import com.sun.jna.LastErrorException;
import jocker.layers.LayerStore;
import jocker.mounts.MountFlags;
import jocker.spec.Spec;
import jocker.sys.JockerException;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * overlayfs: the layers are lower directories, read-only and shared; the
 * container's own upper directory takes every write (a file is copied up
 * before its first change); the kernel shows the union.
 *
 * <pre>
 *   containers/ID/upper    the container's writable layer
 *   containers/ID/work     overlay's scratch space (same filesystem as upper)
 *   containers/ID/merged   where the union is mounted, inside the container only
 * </pre>
 */
public final class OverlayDriver implements StorageDriver {
    private final LayerStore layers;

    public OverlayDriver(LayerStore layers) {
        this.layers = layers;
    }

    @Override
    public String name() {
        return "overlay";
    }

    @Override
    public Root prepare(Path containerDir, List<LayerStore.Layer> stack) throws IOException {
        for (String dir : new String[] {"upper", "work", "merged"}) {
            Files.createDirectories(containerDir.resolve(dir));
        }
        return new Root(containerDir.resolve("merged"),
                new Spec.Mount("/", "overlay", "overlay", List.of(data(containerDir, stack))));
    }

    // tag::overlay-data[]
    /**
     * overlay's mount data: lowerdir lists the top layer first, the
     * opposite of the order in which layers are stacked. Each layer is named
     * by its short link ("l/ABCDEFGHIJ", relative to the layer store, where
     * the mount is made from): mount data must fit in one page (4096 bytes),
     * and full paths would stop a stack at 40-odd layers.
     */
    static String data(Path containerDir, List<LayerStore.Layer> stack) {
        List<String> lower = new ArrayList<>();
        for (int i = stack.size() - 1; i >= 0; i--) {
            lower.add(stack.get(i).link());
        }
        return "lowerdir=" + String.join(":", lower) + ",upperdir=" + containerDir.resolve("upper")
                + ",workdir=" + containerDir.resolve("work");
    }
    // end::overlay-data[]

    @Override
    public List<Change> diff(Path containerDir, List<LayerStore.Layer> stack) throws IOException {
        List<Path> lowerTopFirst = new ArrayList<>();
        for (int i = stack.size() - 1; i >= 0; i--) {
            lowerTopFirst.add(stack.get(i).diff());
        }
        return Changes.ofUpper(containerDir.resolve("upper"), lowerTopFirst);
    }

    /**
     * The merged view, read-only: the upper directory becomes the top lower
     * layer of an overlay mounted in a private mount namespace.
     */
    @Override
    public <T> T withView(Path containerDir, List<LayerStore.Layer> stack, ViewWork<T> work) {
        Path merged = containerDir.resolve("merged");
        List<String> lower = new ArrayList<>();
        lower.add(containerDir.resolve("upper").toString());
        for (int i = stack.size() - 1; i >= 0; i--) {
            lower.add(stack.get(i).link());
        }
        if (lower.size() == 1) {
            return run(work, containerDir.resolve("upper")); // no layers below: the upper dir is the view
        }
        return PrivateMounts.run("a view of " + containerDir.getFileName(), () -> {
            try {
                LibC.chdir(layers.dir().toString());
                LibC.mount("overlay", merged.toString(), "overlay", MountFlags.MS_RDONLY,
                        "lowerdir=" + String.join(":", lower));
            } catch (LastErrorException e) {
                throw SysException.of(e, "mount a view of " + containerDir);
            }
            return work.on(merged);
        });
    }

    private static <T> T run(ViewWork<T> work, Path root) {
        try {
            return work.on(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long ownBytes(Path containerDir) throws IOException {
        return DiskUsage.of(containerDir.resolve("upper"));
    }

    // tag::probe[]
    /**
     * Can this host mount overlayfs on the store's filesystem? Some cannot:
     * overlay on top of overlay (jocker inside a container), a kernel
     * without it. The only sure way to know is to try, in a private mount
     * namespace, so the probe leaves nothing behind.
     */
    public static String probe(LayerStore store) {
        try {
            Files.createDirectories(store.dir());
            Path scratch = Files.createTempDirectory(store.dir(), ".probe-");
            try {
                for (String d : new String[] {"lower1", "lower2", "upper", "work", "merged"}) {
                    Files.createDirectory(scratch.resolve(d));
                }
                return PrivateMounts.run("the overlay probe", () -> {
                    try {
                        LibC.mount("overlay", scratch.resolve("merged").toString(), "overlay", 0,
                                "lowerdir=" + scratch.resolve("lower1") + ":" + scratch.resolve("lower2")
                                        + ",upperdir=" + scratch.resolve("upper") + ",workdir=" + scratch.resolve("work"));
                        return null;
                    } catch (LastErrorException e) {
                        return "mount -t overlay on " + store.dir() + " fails: " + LibC.strerror(e.getErrorCode());
                    }
                });
            } finally {
                jocker.layers.TreeCopy.deleteTree(scratch);
            }
        } catch (IOException | JockerException e) {
            return "cannot try overlay in " + store.dir() + ": " + e.getMessage();
        }
    }
    // end::probe[]
}
