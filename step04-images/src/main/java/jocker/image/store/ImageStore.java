package jocker.image.store;

import jocker.image.Digest;
import jocker.image.ImageReference;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.json.Index;
import jocker.image.json.Json;
import jocker.image.json.Manifest;
import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images under the data root, as an OCI image layout (image-spec
 * image-layout.md): ROOT/images/oci-layout, index.json, blobs/sha256/.
 * index.json lists one entry per tag, the tag in the annotation
 * org.opencontainers.image.ref.name, and one entry without it for an image
 * that has lost its last tag. Any OCI tool can read the store.
 */
public final class ImageStore {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final Path dir;
    private final BlobStore blobs;

    public ImageStore(Path dataRoot) {
        this.dir = dataRoot.resolve("images");
        this.blobs = new BlobStore(dir);
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Path dir() {
        return dir;
    }

    /** Where work files go (on the blobs' filesystem, so a finished one can be renamed in). */
    public Path scratch() throws IOException {
        return Files.createDirectories(dir);
    }

    /** A stored image. Its id is its config's digest, as docker's is. */
    public record Image(Descriptor manifestDescriptor, Manifest manifest, Digest configDigest, ImageConfig config,
                        List<ImageReference> refs) {
        public Digest id() {
            return configDigest;
        }

        public Digest manifestDigest() {
            return manifestDescriptor.digest();
        }
    }

    /** All images, each once, with all its tags. */
    public List<Image> list() throws IOException {
        Map<Digest, List<ImageReference>> refs = new LinkedHashMap<>();
        Map<Digest, Descriptor> descriptors = new LinkedHashMap<>();
        for (Descriptor d : readIndex().manifests()) {
            descriptors.putIfAbsent(d.digest(), d);
            List<ImageReference> list = refs.computeIfAbsent(d.digest(), k -> new ArrayList<>());
            String name = d.annotations() == null ? null : d.annotations().get(REF_NAME);
            if (name != null) {
                list.add(ImageReference.parse(name));
            }
        }
        List<Image> images = new ArrayList<>();
        for (Map.Entry<Digest, Descriptor> e : descriptors.entrySet()) {
            images.add(load(e.getValue(), refs.get(e.getKey())));
        }
        return images;
    }

    public Image load(Descriptor manifestDescriptor, List<ImageReference> refs) throws IOException {
        Manifest manifest = Json.read(blobs.read(manifestDescriptor.digest()), Manifest.class, "manifest " + manifestDescriptor.digest());
        Digest configDigest = manifest.config().digest();
        ImageConfig config = Json.read(blobs.read(configDigest), ImageConfig.class, "config " + configDigest);
        return new Image(manifestDescriptor, manifest, configDigest, config, refs);
    }

    // tag::resolve[]
    /**
     * Finds an image as docker does: by name (normalised: "busybox" is
     * docker.io/library/busybox:latest), by image id or a unique prefix of
     * it (at least 4 digits), or by manifest digest.
     */
    public Image resolve(String text) throws IOException {
        List<Image> images = list();
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        if (hex.matches("[0-9a-f]{4,64}")) {
            List<Image> byId = new ArrayList<>();
            for (Image i : images) {
                if (i.id().hex().startsWith(hex) || i.manifestDigest().hex().equals(hex)) {
                    byId.add(i);
                }
            }
            if (byId.size() == 1) {
                return byId.get(0);
            }
            if (byId.size() > 1) {
                throw new JockerException("image id " + text + " is ambiguous: " + byId.size() + " images match");
            }
        }
        ImageReference ref = ImageReference.parse(text);
        for (Image i : images) {
            if (ref.digest() != null ? i.manifestDigest().equals(ref.digest()) && ref.repository().equals(repoOf(i, ref))
                    : i.refs().contains(ref)) {
                return i;
            }
        }
        throw new NoSuchImage(ref);
    }

    /** No image by that name here (run pulls it then, as docker's does). */
    public static final class NoSuchImage extends JockerException {
        private static final long serialVersionUID = 1L;
        private final transient ImageReference ref;

        NoSuchImage(ImageReference ref) {
            super("No such image: " + ref.familiar());
            this.ref = ref;
        }

        public ImageReference ref() {
            return ref;
        }
    }
    // end::resolve[]

    private static String repoOf(Image i, ImageReference wanted) {
        for (ImageReference r : i.refs()) {
            if (r.repository().equals(wanted.repository())) {
                return r.repository();
            }
        }
        return i.refs().isEmpty() ? wanted.repository() : null;
    }

    /**
     * Records a manifest (its blobs stored already) under these tags. A tag
     * that named another image moves here, and that image keeps an entry
     * without a tag, as docker's dangling "<none>" images.
     */
    public void add(Descriptor manifest, List<ImageReference> tags) throws IOException {
        update(entries -> {
            for (ImageReference tag : tags) {
                for (int i = 0; i < entries.size(); i++) {
                    if (tag.toString().equals(refName(entries.get(i)))) {
                        Descriptor old = entries.remove(i--);
                        keepUntagged(entries, old);
                    }
                }
                entries.add(manifest.withAnnotations(Map.of(REF_NAME, tag.toString())));
            }
            entries.removeIf(e -> e.digest().equals(manifest.digest()) && refName(e) == null && !tags.isEmpty());
            if (tags.isEmpty() && entries.stream().noneMatch(e -> e.digest().equals(manifest.digest()))) {
                entries.add(manifest.withAnnotations(null));
            }
        });
    }

    /** Removes one tag; returns false if no image had it. The image stays, untagged, if it has no other tag. */
    public boolean untag(ImageReference tag) throws IOException {
        boolean[] found = {false};
        update(entries -> {
            for (int i = 0; i < entries.size(); i++) {
                if (tag.toString().equals(refName(entries.get(i)))) {
                    Descriptor old = entries.remove(i--);
                    keepUntagged(entries, old);
                    found[0] = true;
                }
            }
        });
        return found[0];
    }

    /** Forgets an image entirely (its blobs are the caller's to collect). */
    public void remove(Digest manifestDigest) throws IOException {
        update(entries -> entries.removeIf(e -> e.digest().equals(manifestDigest)));
    }

    private static void keepUntagged(List<Descriptor> entries, Descriptor old) {
        if (entries.stream().noneMatch(e -> e.digest().equals(old.digest()))) {
            entries.add(old.withAnnotations(null));
        }
    }

    private static String refName(Descriptor d) {
        return d.annotations() == null ? null : d.annotations().get(REF_NAME);
    }

    private interface Change {
        void apply(List<Descriptor> entries) throws IOException;
    }

    // tag::update[]
    /** A read-modify-write of index.json under a lock, written to a temporary file, synced and renamed. */
    private void update(Change change) throws IOException {
        Files.createDirectories(dir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            List<Descriptor> entries = new ArrayList<>(readIndex().manifests());
            change.apply(entries);
            Path tmp = dir.resolve("index.json.tmp");
            Files.write(tmp, Json.write(new Index(2, null, entries, null)));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path layout = dir.resolve("oci-layout");
            if (!Files.exists(layout)) {
                Files.writeString(layout, "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
            }
        }
    }
    // end::update[]

    private Index readIndex() throws IOException {
        Path index = dir.resolve("index.json");
        if (!Files.exists(index)) {
            return new Index(2, null, List.of(), null);
        }
        return Json.read(Files.readAllBytes(index), Index.class, index.toString());
    }
}
