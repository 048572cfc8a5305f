package jocker.image;

import jocker.layers.Scratch;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.layers.LayerPacker;
import jocker.image.store.ImageStore;
import jocker.storage.ContainerRecord;
import jocker.storage.Storage;
import jocker.storage.StorageDriver;
import jocker.sys.JockerException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * docker commit: what a container changed becomes one more layer on top
 * of its image's, and a new image.
 */
public final class Committer {
    private Committer() {}

    // tag::commit[]
    public static ImageStore.Image commit(Images images, Storage storage, ContainerRecord container, String author,
                                          String message, List<String> changes, List<ImageReference> tags) throws IOException {
        if (container.image() == null) {
            throw new JockerException("container " + container.shortId() + " was not made from an image: nothing to commit onto");
        }
        ImageStore.Image base = images.store().resolve(container.image());
        try (Images.Additions adds = images.begin()) {
            Images.AddedLayer layer = containerLayer(images, storage, container, base, adds);

            ImageConfig old = base.config();
            List<Digest> diffIds = new ArrayList<>(old.diffIds());
            diffIds.add(layer.diffId());
            List<ImageConfig.History> history = new ArrayList<>(old.history());
            String now = Instant.now().toString();
            history.add(new ImageConfig.History(now, "jocker commit", author, message, null));
            ImageConfig config = new ImageConfig(now, author != null ? author : old.author(), old.architecture(),
                    old.os(), old.variant(), ConfigChanges.apply(old.config(), changes),
                    new ImageConfig.RootFs("layers", diffIds), history);
            List<Descriptor> layers = new ArrayList<>();
            for (Descriptor d : base.manifest().layers()) {
                layers.add(Descriptor.of(ociLayerType(d.mediaType()), d.digest(), d.size()));
            }
            layers.add(layer.blob());
            return images.register(config, layers, tags, adds);
        }
    }
    // end::commit[]

    /** What a container changed on top of its image, stored as one layer (step 7's RUN commits this way too). */
    public static Images.AddedLayer containerLayer(Images images, Storage storage, ContainerRecord container,
                                                   ImageStore.Image base, Images.Additions adds) throws IOException {
        StorageDriver driver = storage.driver(container.driver());
        Path dir = storage.containers().dir(container);
        Path tar = Scratch.file(images.store().scratch(), "commit", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(tar)) {
                if (driver.name().equals("overlay")) {
                    LayerPacker.pack(dir.resolve("upper"), out); // the upper directory is the change
                } else {
                    List<jocker.layers.LayerStore.Layer> stack = images.layersOf(base);
                    LayerPacker.packChanges(dir.resolve("rootfs"), driver.diff(dir, stack), out);
                }
            }
            return images.addLayer(tar, null, adds, "committed layer");
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** docker's layer media types, in an OCI manifest: the same bytes under OCI's names. */
    public static String ociLayerType(String type) {
        if (type == null) {
            return MediaTypes.OCI_LAYER;
        }
        return switch (type) {
            case MediaTypes.DOCKER_LAYER_GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case "application/vnd.docker.image.rootfs.diff.tar" -> MediaTypes.OCI_LAYER;
            default -> type;
        };
    }
}
