package jocker.image;

import jocker.layers.NamedOutputStream;
import jocker.layers.Scratch;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.json.Json;
import jocker.image.json.Manifest;
import jocker.image.layers.Compression;
import jocker.image.layers.LayerUnpacker;
import jocker.image.store.ImageStore;
import jocker.layers.LayerStore;
import jocker.storage.ContainerRecord;
import jocker.storage.ContainerStore;
import jocker.storage.TarExport;
import jocker.sys.JockerException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The images of a data root: the image store (manifests, configs, layer
 * blobs) over step 3's layer store (the unpacked layers, by diff id), and
 * the containers made from them.
 */
public final class Images {
    private final ImageStore store;
    private final LayerStore layers;
    private final ContainerStore containers;

    public Images(Path dataRoot) {
        this.store = new ImageStore(dataRoot);
        this.layers = new LayerStore(dataRoot);
        this.containers = new ContainerStore(dataRoot);
    }

    /** The stores of a data root, once the work files of killed commands are removed (see Scratch). */
    public static Images open(Path dataRoot) throws IOException {
        Images images = new Images(dataRoot);
        Scratch.collect(images.store.dir());
        images.store.blobs().collectScratch();
        images.layers.collectScratch();
        return images;
    }

    public ImageStore store() {
        return store;
    }

    public LayerStore layers() {
        return layers;
    }

    public ContainerStore containers() {
        return containers;
    }

    // tag::additions[]
    /**
     * The blobs and layers one operation (a pull, a load, an import ...)
     * adds. Unless {@link #keep} is called, closing removes them again, so a
     * failed operation leaves the store as it was: no orphan blob, no
     * half-registered image.
     */
    public final class Additions implements AutoCloseable {
        private final List<Digest> blobs = new ArrayList<>();
        private final List<String> newLayers = new ArrayList<>();
        private boolean kept;

        /** Notes a blob about to be written, if it is not in the store yet. */
        public synchronized void blob(Digest d) {
            if (!store.blobs().contains(d)) {
                blobs.add(d);
            }
        }

        /** Notes a layer unpacked by this operation. */
        public synchronized void layer(String id, boolean isNew) {
            if (isNew) {
                newLayers.add(id);
            }
        }

        public void keep() {
            kept = true;
        }

        @Override
        public synchronized void close() throws IOException {
            if (kept) {
                return;
            }
            for (Digest d : blobs) {
                store.blobs().delete(d);
            }
            for (String id : newLayers) {
                if (layers.contains(id)) {
                    layers.remove(id);
                }
            }
        }
    }
    // end::additions[]

    public Additions begin() {
        return new Additions();
    }

    /** Unpacks a stored layer blob (if not yet), checking it against its diff id. */
    public LayerStore.Layer unpack(Descriptor blob, Digest diffId, Additions adds) throws IOException {
        if (layers.contains(diffId.hex())) {
            return layers.get(diffId.hex());
        }
        try (InputStream in = Files.newInputStream(store.blobs().path(blob.digest()))) {
            return unpack(in, blob, diffId, adds, () -> { });
        }
    }

    /** Unpacks a layer from its blob's bytes as they come (a download): whenRead checks them before it is kept. */
    public LayerStore.Layer unpack(InputStream in, Descriptor blob, Digest diffId, Additions adds,
                                   LayerUnpacker.WhenRead whenRead) throws IOException {
        LayerUnpacker.Unpacked u = LayerUnpacker.unpack(layers, in, diffId, "layer " + blob.digest().shortHex(), whenRead);
        adds.layer(u.layer().id(), true);
        return u.layer();
    }

    /**
     * Writes config and manifest blobs for a config whose layer blobs are
     * stored, and tags the new image. Nothing is tagged until every blob is in.
     */
    public ImageStore.Image register(ImageConfig config, List<Descriptor> layerBlobs, List<ImageReference> tags,
                                     Additions adds) throws IOException {
        return register(Json.write(config), layerBlobs, tags, adds);
    }

    /** The same with a config's exact bytes (from a registry or an archive: its digest is the image id). */
    public ImageStore.Image register(byte[] configBytes, List<Descriptor> layerBlobs, List<ImageReference> tags,
                                     Additions adds) throws IOException {
        Digest configDigest = Digest.of(configBytes);
        adds.blob(configDigest);
        store.blobs().put(configBytes);
        Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layerBlobs, null);
        byte[] manifestBytes = Json.write(manifest);
        return registerManifest(manifestBytes, MediaTypes.OCI_MANIFEST, tags, adds);
    }

    /** Stores a manifest's exact bytes (its config and layer blobs stored already) and tags it. */
    public ImageStore.Image registerManifest(byte[] manifestBytes, String mediaType, List<ImageReference> tags,
                                             Additions adds) throws IOException {
        Digest manifestDigest = Digest.of(manifestBytes);
        adds.blob(manifestDigest);
        store.blobs().put(manifestBytes);
        Descriptor descriptor = Descriptor.of(mediaType, manifestDigest, manifestBytes.length);
        store.add(descriptor, tags);
        adds.keep();
        return store.load(descriptor, tags);
    }

    /** A layer added here: its blob (what a manifest lists) and its diff id (what the config lists). */
    public record AddedLayer(Descriptor blob, Digest diffId) {
    }

    // tag::add-layer[]
    /**
     * A layer made on this machine (import, commit, load of a docker
     * archive), from its uncompressed tar: the tar's digest is the diff id;
     * the blob is the tar gzip-compressed, as docker pushes it; and the
     * layer store gets it unpacked (and checked, entry by entry).
     * {@code expectedDiffId}, if not null, is what the tar must be.
     */
    public AddedLayer addLayer(Path tar, Digest expectedDiffId, Additions adds, String what) throws IOException {
        MessageDigest tarSha = Digest.sha256();
        MessageDigest blobSha = Digest.sha256();
        Path gz = Scratch.file(store.scratch(), "layer", ".tar.gz");
        try {
            try (InputStream in = new DigestInputStream(Files.newInputStream(tar), tarSha);
                 OutputStream out = Compression.gzip(new DigestOutputStream(Files.newOutputStream(gz), blobSha))) {
                in.transferTo(out);
            }
            Digest diffId = Digest.of(tarSha);
            LayerUnpacker.checkDiffId(what, expectedDiffId, diffId);
            if (!layers.contains(diffId.hex())) {
                try (InputStream in = Files.newInputStream(tar)) {
                    adds.layer(LayerUnpacker.unpack(layers, in, diffId, what).layer().id(), true);
                }
            }
            Digest digest = Digest.of(blobSha);
            long size = Files.size(gz);
            adds.blob(digest);
            try (InputStream in = Files.newInputStream(gz)) {
                store.blobs().put(in, digest, size, what);
            }
            return new AddedLayer(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, digest, size), diffId);
        } finally {
            Files.deleteIfExists(gz);
        }
    }
    // end::add-layer[]

    // tag::import[]
    /** docker import: a root filesystem tar (plain or compressed) as a one-layer image. */
    public ImageStore.Image importRootfs(InputStream tar, List<ImageReference> tags, List<String> changes, String message)
            throws IOException {
        Path staged = Scratch.file(store.scratch(), "import", ".tar");
        try (Additions adds = begin()) {
            try (InputStream in = Compression.decompress(tar);
                 OutputStream out = new NamedOutputStream(Files.newOutputStream(staged), "imported tar: cannot stage it in "
                         + staged.getParent())) {
                in.transferTo(out);
            }
            AddedLayer layer = addLayer(staged, null, adds, "imported tar");
            String now = Instant.now().toString();
            ImageConfig config = new ImageConfig(now, null, Platform.current().architecture(), "linux", null,
                    ConfigChanges.apply(ImageConfig.ContainerConfig.EMPTY, changes),
                    new ImageConfig.RootFs("layers", List.of(layer.diffId())),
                    List.of(new ImageConfig.History(now, "jocker import", null, message, null)));
            return register(config, List.of(layer.blob()), tags, adds);
        } finally {
            Files.deleteIfExists(staged);
        }
    }
    // end::import[]

    /** A root filesystem directory becomes a one-layer image: the directory as a tar, imported. */
    public ImageStore.Image importDirectory(Path dir, List<ImageReference> tags, List<String> changes, String message)
            throws IOException {
        Path tar = Scratch.file(store.scratch(), "import", ".tar");
        try {
            try (OutputStream out = new NamedOutputStream(Files.newOutputStream(tar), "directory " + dir
                    + ": cannot stage it in " + tar.getParent())) {
                TarExport.write(dir, out);
            }
            try (InputStream in = Files.newInputStream(tar)) {
                return importRootfs(in, tags, changes, message);
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** The image's layers in step 3's store, bottom first, unpacked from their blobs if missing. */
    public List<LayerStore.Layer> layersOf(ImageStore.Image image) throws IOException {
        List<Digest> diffIds = image.config().diffIds();
        List<Descriptor> blobs = image.manifest().layers();
        if (diffIds.size() != blobs.size()) {
            throw new JockerException("image " + image.id().shortHex() + " is corrupt: " + blobs.size()
                    + " layers in its manifest, " + diffIds.size() + " in its config");
        }
        List<LayerStore.Layer> stack = new ArrayList<>();
        try (Additions adds = begin()) {
            for (int i = 0; i < diffIds.size(); i++) {
                stack.add(unpack(blobs.get(i), diffIds.get(i), adds));
            }
            adds.keep();
        }
        return stack;
    }

    /** The uncompressed size of the image's layers, as docker's SIZE. */
    public long size(ImageStore.Image image) throws IOException {
        long total = 0;
        for (int i = 0; i < image.config().diffIds().size(); i++) {
            total += layerSize(image, i);
        }
        return total;
    }

    /** The uncompressed size of the image's layer i (its blob's size if it was never unpacked). */
    public long layerSize(ImageStore.Image image, int i) throws IOException {
        Path sizeFile = layers.dir().resolve(image.config().diffIds().get(i).hex()).resolve("size");
        return Files.exists(sizeFile) ? Long.parseLong(Files.readString(sizeFile).trim())
                : image.manifest().layers().get(i).size();
    }

    // tag::rmi[]
    /**
     * docker rmi. A name with other names on the same image only loses the
     * name. Otherwise the image goes, unless a container was made from it:
     * then it is refused, or, forced, the image loses its names and stays,
     * dangling, for the container (docker's rule). An image that goes takes
     * every blob and layer that no other image and no container uses.
     *
     * @return docker's report: "Untagged: ..." and "Deleted: ..." lines
     */
    public List<String> remove(String text, boolean force) throws IOException {
        ImageStore.Image image = store.resolve(text);
        List<String> report = new ArrayList<>();
        ImageReference named = byName(text, image);
        if (named != null && image.refs().size() > 1) {
            store.untag(named);
            report.add("Untagged: " + named.familiar());
            return report;
        }
        if (named == null && image.refs().size() > 1 && !force) {
            throw new JockerException("conflict: unable to delete " + image.id().shortHex()
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        boolean used = false;
        for (ContainerRecord c : containers.list()) {
            if (image.id().toString().equals(c.image())) {
                if (!force) {
                    throw new JockerException("conflict: unable to delete " + image.id().shortHex()
                            + " (must be forced) - image is being used by container " + c.shortId());
                }
                used = true;
            }
        }
        for (ImageReference r : image.refs()) {
            store.untag(r);
            report.add("Untagged: " + r.familiar());
        }
        if (used) {
            return report; // forced, as docker does it: the names go, the image stays (dangling) for its containers
        }
        store.remove(image.manifestDigest());
        report.add("Deleted: " + image.id());
        report.addAll(collect());
        return report;
    }
    // end::rmi[]

    private static ImageReference byName(String text, ImageStore.Image image) {
        try {
            ImageReference ref = ImageReference.parse(text);
            return image.refs().contains(ref) ? ref : null;
        } catch (JockerException notAName) {
            return null;
        }
    }

    /** Deletes blobs and layers nothing references any more; returns "Deleted: " lines for layers. */
    List<String> collect() throws IOException {
        Set<Digest> usedBlobs = new HashSet<>();
        Set<String> usedLayers = new HashSet<>();
        for (ImageStore.Image i : store.list()) {
            usedBlobs.add(i.manifestDigest());
            usedBlobs.add(i.configDigest());
            i.manifest().layers().forEach(l -> usedBlobs.add(l.digest()));
            i.config().diffIds().forEach(d -> usedLayers.add(d.hex()));
        }
        for (ContainerRecord c : containers.list()) {
            usedLayers.addAll(c.layers());
        }
        List<String> report = new ArrayList<>();
        Path blobDir = store.blobs().path(new Digest("0".repeat(64))).getParent();
        if (Files.isDirectory(blobDir)) {
            try (var blobs = Files.list(blobDir)) {
                for (Path p : blobs.toList()) {
                    String hex = p.getFileName().toString();
                    if (hex.matches("[0-9a-f]{64}") && !usedBlobs.contains(new Digest(hex))) {
                        Files.delete(p);
                    }
                }
            }
        }
        for (LayerStore.Layer l : layers.list()) {
            if (!usedLayers.contains(l.id()) && Files.exists(layers.dir().resolve(l.id()).resolve("size"))) {
                layers.remove(l.id()); // only image layers (they have a size file); step 3's own stay
                report.add("Deleted: sha256:" + l.id());
            }
        }
        return report;
    }

    public static Map<String, String> refAnnotation(ImageReference ref) {
        return Map.of(ImageStore.REF_NAME, ref.toString());
    }
}
