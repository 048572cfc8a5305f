package jocker.image.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jocker.layers.Scratch;
import jocker.image.Digest;
import jocker.image.ImageReference;
import jocker.image.Images;
import jocker.image.MediaTypes;
import jocker.image.Platform;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.json.Index;
import jocker.image.json.Json;
import jocker.image.json.Manifest;
import jocker.image.layers.Compression;
import jocker.image.layers.LayerUnpacker;
import jocker.image.store.ImageStore;
import jocker.layers.TreeCopy;
import jocker.storage.TarExport;
import jocker.sys.JockerException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker save and docker load, in the two formats images travel in:
 * <ul>
 * <li>docker-archive: manifest.json listing, per image, its config file,
 *     its tags and its layers as uncompressed tars (what docker save writes,
 *     and skopeo's docker-archive: transport);</li>
 * <li>OCI archive: a tar of an OCI image layout, oci-layout, index.json and
 *     blobs/sha256/ (--format oci; skopeo's oci-archive:).</li>
 * </ul>
 * Configs and manifests keep their exact bytes, so image ids survive the trip.
 */
public final class Archives {
    private Archives() {}

    public enum Format { DOCKER, OCI }

    /** One image of docker's manifest.json. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DockerEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                       @JsonProperty("Layers") List<String> layers) {
        DockerEntry {
            Json.required(config, "Config");
            repoTags = Json.entries(repoTags, "RepoTags");
            layers = Json.entries(layers, "Layers");
        }
    }

    // tag::save-docker[]
    public static void save(List<ImageStore.Image> images, List<List<ImageReference>> tags, Format format, Images store,
                            OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = TarExport.open(out)) {
            if (format == Format.OCI) {
                saveOci(images, tags, store, tar);
            } else {
                saveDocker(images, tags, store, tar);
            }
            tar.finish();
        }
    }

    private static void saveDocker(List<ImageStore.Image> images, List<List<ImageReference>> tags, Images store,
                                   TarArchiveOutputStream tar) throws IOException {
        List<DockerEntry> manifest = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageStore.Image image = images.get(i);
            String configName = image.configDigest().hex() + ".json";
            if (!written.contains(configName)) {
                bytes(tar, configName, store.store().blobs().read(image.configDigest()));
                written.add(configName);
            }
            List<String> layerNames = new ArrayList<>();
            for (int l = 0; l < image.manifest().layers().size(); l++) {
                Digest diffId = image.config().diffIds().get(l);
                String name = diffId.hex() + ".tar";
                layerNames.add(name);
                if (!written.contains(name)) {
                    uncompressedLayer(tar, name, image.manifest().layers().get(l), store);
                    written.add(name);
                }
            }
            List<String> repoTags = new ArrayList<>();
            for (ImageReference r : tags.get(i)) {
                repoTags.add(r.familiar());
                String top = layerNames.isEmpty() ? image.id().hex() : layerNames.get(layerNames.size() - 1).replace(".tar", "");
                repositories.computeIfAbsent(r.familiarRepository(), k -> new LinkedHashMap<>()).put(r.tag(), top);
            }
            manifest.add(new DockerEntry(configName, repoTags, layerNames));
        }
        bytes(tar, "manifest.json", Json.write(manifest));
        bytes(tar, "repositories", Json.write(repositories));
    }
    // end::save-docker[]

    /** A layer as docker-archive wants it: the uncompressed tar, whatever the blob's compression. */
    private static void uncompressedLayer(TarArchiveOutputStream tar, String name, Descriptor blob, Images store)
            throws IOException {
        Path tmp = Scratch.file(store.store().scratch(), "save", ".tar");
        try {
            try (InputStream in = Compression.decompress(Files.newInputStream(store.store().blobs().path(blob.digest())))) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            TarArchiveEntry e = entry(name, Files.size(tmp));
            tar.putArchiveEntry(e);
            Files.copy(tmp, tar);
            tar.closeArchiveEntry();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void saveOci(List<ImageStore.Image> images, List<List<ImageReference>> tags, Images store,
                                TarArchiveOutputStream tar) throws IOException {
        bytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        List<Descriptor> entries = new ArrayList<>();
        List<Digest> written = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageStore.Image image = images.get(i);
            List<Descriptor> blobs = new ArrayList<>(image.manifest().layers());
            blobs.add(image.manifest().config());
            blobs.add(image.manifestDescriptor());
            for (Descriptor d : blobs) {
                if (!written.contains(d.digest())) {
                    Path p = store.store().blobs().path(d.digest());
                    TarArchiveEntry e = entry("blobs/sha256/" + d.digest().hex(), Files.size(p));
                    tar.putArchiveEntry(e);
                    Files.copy(p, tar);
                    tar.closeArchiveEntry();
                    written.add(d.digest());
                }
            }
            Descriptor m = Descriptor.of(image.manifestDescriptor().mediaType(), image.manifestDigest(),
                    image.manifestDescriptor().size());
            if (tags.get(i).isEmpty()) {
                entries.add(m);
            }
            for (ImageReference r : tags.get(i)) {
                // the tag alone, as skopeo reads it; the full name as containerd and docker read it
                entries.add(m.withAnnotations(Map.of(ImageStore.REF_NAME, r.tag(), CONTAINERD_NAME, r.toString())));
            }
        }
        bytes(tar, "index.json", Json.write(new Index(2, MediaTypes.OCI_INDEX, entries, null)));
    }

    static final String CONTAINERD_NAME = "io.containerd.image.name";

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        tar.putArchiveEntry(entry(name, content.length));
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0644);
        e.setModTime(FileTime.fromMillis(0));
        return e;
    }

    // tag::load[]
    /**
     * Loads every image of an archive, either format. The archive is
     * unpacked into a scratch directory first (its names checked like a
     * layer's), every file is checked against the digest it is named by or
     * listed with, and nothing is tagged unless all of it is stored.
     *
     * @return docker's report: "Loaded image: NAME" or "Loaded image ID: ID"
     */
    public static List<String> load(InputStream archive, Images images, Platform platform) throws IOException {
        Path scratch = Scratch.directory(images.store().scratch(), "load");
        try {
            extract(archive, scratch);
            if (Files.exists(scratch.resolve("oci-layout"))) {
                return loadOci(scratch, images, platform);
            }
            if (Files.exists(scratch.resolve("manifest.json"))) {
                return loadDocker(scratch, images);
            }
            throw new JockerException("not an image archive: it has neither manifest.json (docker) nor oci-layout (OCI)");
        } finally {
            TreeCopy.deleteTree(scratch);
        }
    }
    // end::load[]

    private static void extract(InputStream archive, Path scratch) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompress(archive))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path target = LayerUnpacker.safePath(scratch, e.getName(), "archive");
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                // links and devices have no place at an archive's top level: skipped
            }
        }
    }

    private static List<String> loadDocker(Path dir, Images images) throws IOException {
        DockerEntry[] entries = Json.read(Files.readAllBytes(dir.resolve("manifest.json")), DockerEntry[].class, "manifest.json");
        List<String> report = new ArrayList<>();
        for (DockerEntry entry : entries) {
            try (Images.Additions adds = images.begin()) {
                byte[] config = Files.readAllBytes(inArchive(dir, entry.config()));
                ImageConfig parsed = Json.read(config, ImageConfig.class, entry.config());
                if (parsed.diffIds().size() != entry.layers().size()) {
                    throw new JockerException(entry.config() + ": " + parsed.diffIds().size() + " diff ids for "
                            + entry.layers().size() + " layers");
                }
                List<Descriptor> layers = new ArrayList<>();
                for (int i = 0; i < entry.layers().size(); i++) {
                    Digest diffId = parsed.diffIds().get(i);
                    Path layer = inArchive(dir, entry.layers().get(i));
                    Path uncompressed = Files.createTempFile(dir, ".layer-", ".tar");
                    try (InputStream in = Compression.decompress(Files.newInputStream(layer))) {
                        Files.copy(in, uncompressed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    Images.AddedLayer added = images.addLayer(uncompressed, diffId, adds, "layer " + entry.layers().get(i));
                    Files.delete(uncompressed);
                    layers.add(added.blob());
                }
                List<ImageReference> tags = new ArrayList<>();
                for (String t : entry.repoTags() == null ? List.<String>of() : entry.repoTags()) {
                    tags.add(ImageReference.parse(t));
                }
                ImageStore.Image image = images.register(config, layers, tags, adds);
                if (tags.isEmpty()) {
                    report.add("Loaded image ID: " + image.id());
                }
                tags.forEach(t -> report.add("Loaded image: " + t.familiar()));
            }
        }
        return report;
    }

    private static List<String> loadOci(Path dir, Images images, Platform platform) throws IOException {
        Index index = Json.read(Files.readAllBytes(dir.resolve("index.json")), Index.class, "index.json");
        List<String> report = new ArrayList<>();
        for (Descriptor top : index.manifests()) {
            try (Images.Additions adds = images.begin()) {
                Descriptor chosen = top;
                if (MediaTypes.isIndex(top.mediaType())) {
                    Index inner = Json.read(verified(dir, top), Index.class, "index " + top.digest());
                    chosen = jocker.image.registry.RegistryClient.select(inner, platform, top.digest().toString());
                }
                byte[] manifestBytes = verified(dir, chosen);
                Manifest manifest = Json.read(manifestBytes, Manifest.class, "manifest " + chosen.digest());
                byte[] config = verified(dir, manifest.config());
                ImageConfig parsed = Json.read(config, ImageConfig.class, "config " + manifest.config().digest());
                if (parsed.diffIds().size() != manifest.layers().size()) {
                    throw new JockerException("config " + manifest.config().digest() + ": " + parsed.diffIds().size()
                            + " diff ids for " + manifest.layers().size() + " layers");
                }
                adds.blob(manifest.config().digest());
                images.store().blobs().put(config);
                for (int i = 0; i < manifest.layers().size(); i++) {
                    Descriptor layer = manifest.layers().get(i);
                    adds.blob(layer.digest());
                    try (InputStream in = Files.newInputStream(inArchive(dir, "blobs/sha256/" + layer.digest().hex()))) {
                        images.store().blobs().put(in, layer.digest(), layer.size(), "layer " + layer.digest().shortHex());
                    }
                    images.unpack(layer, parsed.diffIds().get(i), adds);
                }
                List<ImageReference> tags = new ArrayList<>();
                String name = top.annotations() == null ? null : top.annotations().getOrDefault(CONTAINERD_NAME,
                        top.annotations().get(ImageStore.REF_NAME));
                if (name != null && (name.contains("/") || name.contains(":"))) {
                    tags.add(ImageReference.parse(name));
                }
                ImageStore.Image image = images.registerManifest(manifestBytes, chosen.mediaType(), tags, adds);
                if (tags.isEmpty()) {
                    report.add("Loaded image ID: " + image.id());
                }
                tags.forEach(t -> report.add("Loaded image: " + t.familiar()));
            }
        }
        return report;
    }

    /** A blob of an OCI layout, checked against its descriptor. */
    private static byte[] verified(Path dir, Descriptor d) throws IOException {
        byte[] bytes = Files.readAllBytes(inArchive(dir, "blobs/sha256/" + d.digest().hex()));
        if (!Digest.of(bytes).equals(d.digest())) {
            throw new JockerException("blob " + d.digest() + " of the archive does not match its digest");
        }
        return bytes;
    }

    private static Path inArchive(Path dir, String name) throws IOException {
        Path p = LayerUnpacker.safePath(dir, name, "archive");
        if (!Files.isRegularFile(p)) {
            throw new JockerException("the archive lists " + name + ", which it does not hold");
        }
        return p;
    }
}
