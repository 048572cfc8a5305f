package jocker.image.registry;

import jocker.image.Digest;
import jocker.image.ImageReference;
import jocker.image.Images;
import jocker.image.MediaTypes;
import jocker.image.Platform;
import jocker.image.ReadAhead;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.json.Index;
import jocker.image.json.Json;
import jocker.image.json.Manifest;
import jocker.image.store.BlobStore;
import jocker.image.store.ImageStore;
import jocker.sys.JockerException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pull and push over the OCI distribution API (distribution-spec spec.md):
 * <pre>
 *   GET  /v2/                               is it a registry, what authentication
 *   GET  /v2/NAME/manifests/REFERENCE        a manifest or an index, by tag or digest
 *   GET  /v2/NAME/blobs/DIGEST               a config or a layer
 *   HEAD /v2/NAME/blobs/DIGEST               is it there already (push)
 *   POST /v2/NAME/blobs/uploads/ ; PATCH ; PUT ?digest=   upload a blob
 *   PUT  /v2/NAME/manifests/TAG              publish the image
 * </pre>
 * Everything downloaded is checked against its digest before it is kept.
 */
public final class RegistryClient {
    /** Layers fetched at once, as docker's default. */
    private static final int CONCURRENT_DOWNLOADS = 3;
    /** Blobs up to this size go in one PUT; bigger ones in chunks. */
    static final long MONOLITHIC_LIMIT = 16L << 20;
    static final int CHUNK = 8 << 20;

    private final Credentials credentials;
    private final Set<String> insecureRegistries;

    public RegistryClient(Credentials credentials, Set<String> insecureRegistries) {
        this.credentials = credentials;
        this.insecureRegistries = Set.copyOf(insecureRegistries);
    }

    /** docker.io's API lives on another host. */
    static String host(String domain) {
        return domain.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : domain;
    }

    private RegistryHttp http(ImageReference ref, String actions) {
        String host = host(ref.domain());
        return new RegistryHttp(host, credentials.get(ref.domain()), RegistryHttp.isInsecure(host, insecureRegistries),
                "repository:" + ref.name() + ":" + actions);
    }

    /** Checks that a registry answers, and accepts these credentials. */
    public void login(String registry, String user, String password) throws IOException {
        String host = host(registry);
        RegistryHttp http = new RegistryHttp(host, user + ":" + password, RegistryHttp.isInsecure(host, insecureRegistries),
                "registry:catalog:*");
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder().GET(), "/v2/");
        r.body().close();
        if (r.statusCode() != 200) {
            throw new JockerException("login to " + registry + " failed: HTTP " + r.statusCode());
        }
    }

    public record PullResult(ImageStore.Image image, Digest digest, boolean downloaded) {
    }

    /**
     * Whether this process talked to a registry. If so, a thread of the JDK's
     * HTTP client waits in native code (epoll_wait) until the process ends,
     * and the JVM's exit waits 300 ms for it: a command can leave at once instead.
     */
    public static boolean used() {
        return RegistryHttp.clientMade();
    }

    // tag::pull[]
    public PullResult pull(ImageReference ref, Platform platform, Images images, Progress progress) throws IOException {
        RegistryHttp http = http(ref, "pull");
        Fetched top = manifest(http, ref, ref.manifestReference(), ref.digest());
        Fetched chosen = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            Index index = Json.read(top.bytes(), Index.class, "index of " + ref.familiar());
            Descriptor d = select(index, platform, ref.familiar());
            chosen = manifest(http, ref, d.digest().toString(), d.digest());
        }
        if (!MediaTypes.isManifest(chosen.mediaType())) {
            throw new JockerException(ref.familiar() + ": unsupported manifest type " + chosen.mediaType()
                    + " (schema 1 images are not supported)");
        }
        Manifest manifest = Json.read(chosen.bytes(), Manifest.class, "manifest of " + ref.familiar());
        progress.line(ref.tag() != null ? ref.tag() + ": Pulling from " + ref.familiarRepository()
                : "Pulling " + ref.familiar());
        boolean downloaded = false;
        try (Images.Additions adds = images.begin()) {
            byte[] configBytes = blob(http, ref, manifest.config(), images, adds);
            ImageConfig config = Json.read(configBytes, ImageConfig.class, "config of " + ref.familiar());
            if (config.diffIds().size() != manifest.layers().size()) {
                throw new JockerException(ref.familiar() + ": the manifest has " + manifest.layers().size()
                        + " layers and the config " + config.diffIds().size());
            }
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_DOWNLOADS, r -> {
                Thread t = new Thread(r, "pull");
                t.setDaemon(true);
                return t;
            });
            List<Future<Boolean>> layers = new ArrayList<>();
            try {
                for (int i = 0; i < manifest.layers().size(); i++) {
                    Descriptor layer = manifest.layers().get(i);
                    Digest diffId = config.diffIds().get(i);
                    layers.add(pool.submit(() -> layer(http, ref, layer, diffId, images, adds, progress)));
                }
                for (Future<Boolean> f : layers) {
                    downloaded |= f.get();
                }
            } catch (ExecutionException e) {
                layers.forEach(f -> f.cancel(true));
                throw e.getCause() instanceof RuntimeException re ? re
                        : new JockerException(ref.familiar() + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JockerException("pull interrupted", e);
            } finally {
                pool.shutdownNow();
            }
            ImageStore.Image image = images.registerManifest(chosen.bytes(), chosen.mediaType(),
                    ref.tag() != null ? List.of(ref) : List.of(), adds);
            return new PullResult(image, Digest.of(top.bytes()), downloaded);
        }
    }
    // end::pull[]

    // tag::layer[]
    /**
     * One layer: skipped if stored and unpacked. Else it is unpacked while it
     * downloads: the bytes from the registry go into the blob store and into
     * the unpacker at once, and the layer is published only after the last
     * byte, when the blob's digest and the layer's diff id both check out.
     */
    private boolean layer(RegistryHttp http, ImageReference ref, Descriptor layer, Digest diffId, Images images,
                          Images.Additions adds, Progress progress) throws IOException {
        String id = layer.digest().shortHex();
        BlobStore blobs = images.store().blobs();
        boolean unpacked = images.layers().contains(diffId.hex());
        if (unpacked && blobs.contains(layer.digest())) {
            progress.status(id, "Already exists");
            return false;
        }
        progress.status(id, "Pulling fs layer");
        if (blobs.contains(layer.digest())) {
            progress.status(id, "Extracting");
            images.unpack(layer, diffId, adds);
        } else {
            adds.blob(layer.digest());
            try (BlobStore.Incoming incoming = blobs.incoming(layer.digest(), layer.size(), "layer " + id);
                 // the blob is hashed and written by a thread of its own, ahead of the unpacker
                 InputStream in = new ReadAhead(incoming.through(download(http, ref, layer, progress)), "download " + id)) {
                if (unpacked) {
                    in.transferTo(OutputStream.nullOutputStream()); // only the blob was missing
                    incoming.commit();
                } else {
                    try {
                        images.unpack(in, layer, diffId, adds, () -> {
                            incoming.commit();
                            progress.status(id, "Download complete");
                            progress.status(id, "Extracting");
                        });
                    } catch (IOException | RuntimeException e) {
                        throw incoming.failure(in, e); // bad bytes often show first as a bad tar
                    }
                }
            }
        }
        progress.status(id, "Pull complete");
        return true;
    }
    // end::layer[]

    /** The blob's bytes as they arrive, with docker's progress. */
    private InputStream download(RegistryHttp http, ImageReference ref, Descriptor blob, Progress progress)
            throws IOException {
        String id = blob.digest().shortHex();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder().GET(),
                "/v2/" + ref.name() + "/blobs/" + blob.digest());
        if (r.statusCode() != 200) {
            throw new JockerException(ref.familiar() + ": blob " + blob.digest() + ": " + RegistryHttp.errorOf(r));
        }
        progress.status(id, "Downloading");
        long[] done = {0};
        return new FilterInputStream(r.body()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    done[0] += n;
                    progress.bytes(id, "Downloading", done[0], blob.size());
                }
                return n;
            }
        };
    }

    /** A small blob (a config): fetched into the store and returned. */
    private byte[] blob(RegistryHttp http, ImageReference ref, Descriptor d, Images images, Images.Additions adds)
            throws IOException {
        if (!images.store().blobs().contains(d.digest())) {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder().GET(), "/v2/" + ref.name() + "/blobs/" + d.digest());
            if (r.statusCode() != 200) {
                throw new JockerException(ref.familiar() + ": config " + d.digest() + ": " + RegistryHttp.errorOf(r));
            }
            adds.blob(d.digest());
            try (InputStream in = r.body()) {
                images.store().blobs().put(in, d.digest(), d.size(), "config of " + ref.familiar());
            }
        }
        return images.store().blobs().read(d.digest());
    }

    record Fetched(byte[] bytes, String mediaType) {
    }

    // tag::manifest[]
    /** A manifest or index, with every type jocker reads in Accept; its digest checked when one is known. */
    private Fetched manifest(RegistryHttp http, ImageReference ref, String reference, Digest expected) throws IOException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder().GET()
                .header("Accept", String.join(", ", MediaTypes.MANIFESTS)), "/v2/" + ref.name() + "/manifests/" + reference);
        if (r.statusCode() == 404) {
            throw new JockerException("manifest for " + ref.familiar() + " not found: " + RegistryHttp.errorOf(r));
        }
        if (r.statusCode() != 200) {
            throw new JockerException(ref.familiar() + ": " + RegistryHttp.errorOf(r));
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(4 << 20);
        }
        Digest actual = Digest.of(bytes);
        Digest claimed = expected != null ? expected
                : RegistryHttp.header(r, "Docker-Content-Digest").map(Digest::parse).orElse(null);
        if (claimed != null && !claimed.equals(actual)) {
            throw new JockerException(ref.familiar() + ": manifest digest mismatch: expected " + claimed + ", got " + actual);
        }
        String type = RegistryHttp.header(r, "Content-Type").orElse("").split(";")[0].trim();
        if (type.isEmpty() || type.equals("application/json")) {
            type = Json.read(bytes, MediaTypeOnly.class, "manifest").mediaType();
        }
        return new Fetched(bytes, type);
    }
    // end::manifest[]

    record MediaTypeOnly(String mediaType) {
    }

    /** The index entry for a platform, as docker chooses it (pull, and load of an OCI archive). */
    public static Descriptor select(Index index, Platform platform, String what) {
        for (Descriptor d : index.manifests()) {
            Descriptor.PlatformJson p = d.platform();
            if (p != null && platform.matches(p.os(), p.architecture(), p.variant())) {
                return d;
            }
        }
        throw new JockerException("no matching manifest for " + platform + " in the manifest list entries of " + what);
    }

    // tag::push[]
    public Digest push(ImageStore.Image image, ImageReference target, Images images, Progress progress) throws IOException {
        if (target.tag() == null) {
            throw new JockerException("push needs a tag: " + target.familiar());
        }
        RegistryHttp http = http(target, "pull,push");
        progress.line("The push refers to repository [" + target.repository() + "]");
        Map<Digest, String> mountable = mountable(images, target);
        for (Descriptor layer : image.manifest().layers()) {
            pushBlob(http, target, layer, mountable.get(layer.digest()), images, progress);
        }
        pushBlob(http, target, image.manifest().config(), mountable.get(image.manifest().config().digest()), images,
                Progress.quiet());
        byte[] manifest = images.store().blobs().read(image.manifestDigest());
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder()
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .header("Content-Type", image.manifestDescriptor().mediaType()), "/v2/" + target.name() + "/manifests/" + target.tag());
        if (r.statusCode() != 201) {
            throw new JockerException("push of the manifest of " + target.familiar() + " failed: " + RegistryHttp.errorOf(r));
        }
        r.body().close();
        Digest digest = Digest.of(manifest);
        progress.line(target.tag() + ": digest: " + digest + " size: " + manifest.length);
        return digest;
    }
    // end::push[]

    /**
     * The blobs another repository of the same registry has (as far as the
     * images of this store tell), by digest: a push can ask the registry to
     * mount them from there instead of uploading them again.
     */
    private static Map<Digest, String> mountable(Images images, ImageReference target) throws IOException {
        Map<Digest, String> from = new HashMap<>();
        for (ImageStore.Image other : images.store().list()) {
            for (ImageReference ref : other.refs()) {
                if (ref.domain().equals(target.domain()) && !ref.name().equals(target.name())) {
                    other.manifest().layers().forEach(d -> from.putIfAbsent(d.digest(), ref.name()));
                    from.putIfAbsent(other.manifest().config().digest(), ref.name());
                }
            }
        }
        return from;
    }

    private void pushBlob(RegistryHttp http, ImageReference target, Descriptor blob, String from, Images images,
                          Progress progress) throws IOException {
        String id = blob.digest().shortHex();
        String blobPath = "/v2/" + target.name() + "/blobs/" + blob.digest();
        HttpResponse<InputStream> head = http.send(HttpRequest.newBuilder().method("HEAD", HttpRequest.BodyPublishers.noBody()), blobPath);
        head.body().close();
        if (head.statusCode() == 200) {
            progress.status(id, "Layer already exists");
            return;
        }
        progress.status(id, "Preparing");
        Path file = images.store().blobs().path(blob.digest());
        if (!Files.exists(file)) {
            throw new JockerException("blob " + blob.digest() + " of the image is not in the store");
        }
        String uploads = "/v2/" + target.name() + "/blobs/uploads/";
        HttpResponse<InputStream> start = http.send(HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
                from == null ? uploads : uploads + "?mount=" + blob.digest() + "&from=" + from);
        start.body().close();
        if (start.statusCode() == 201) { // mounted: the registry linked the blob it has
            progress.status(id, "Mounted from " + from);
            return;
        }
        if (start.statusCode() != 202) { // 202: an upload begins (also when a mount was not possible)
            throw new JockerException("upload to " + target.repository() + " refused: HTTP " + start.statusCode());
        }
        String location = location(start, target);
        long size = Files.size(file);
        if (size > MONOLITHIC_LIMIT) {
            location = uploadChunks(http, target, file, size, location, id, progress);
        }
        HttpRequest.BodyPublisher body = size > MONOLITHIC_LIMIT ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofFile(file);
        HttpResponse<InputStream> done = http.send(HttpRequest.newBuilder().PUT(body)
                .header("Content-Type", "application/octet-stream"),
                location + (location.contains("?") ? "&" : "?") + "digest=" + blob.digest());
        if (done.statusCode() != 201) {
            throw new JockerException("upload of " + blob.digest() + " failed: " + RegistryHttp.errorOf(done));
        }
        done.body().close();
        progress.status(id, "Pushed");
    }

    /** PATCH the blob in chunks (Content-Range), each answered with the next location. */
    private String uploadChunks(RegistryHttp http, ImageReference target, Path file, long size, String location, String id,
                                Progress progress) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            long offset = 0;
            byte[] chunk = new byte[CHUNK];
            while (offset < size) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(CHUNK, size - offset));
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder()
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk, 0, n))
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", offset + "-" + (offset + n - 1)), location);
                r.body().close();
                if (r.statusCode() != 202) {
                    throw new JockerException("chunk at " + offset + " of " + id + " refused: HTTP " + r.statusCode());
                }
                location = location(r, target);
                offset += n;
                progress.bytes(id, "Pushing", offset, size);
            }
        }
        return location;
    }

    private static String location(HttpResponse<?> r, ImageReference target) {
        return RegistryHttp.header(r, "Location").orElseThrow(() ->
                new JockerException("the registry of " + target.repository() + " sent no upload location"));
    }

}
