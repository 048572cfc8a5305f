package jocker.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jocker.image.Digest;
import jocker.image.MediaTypes;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.json.Json;
import jocker.image.json.Manifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A registry that does what a real one would not: it wants a Bearer token
 * from its own token service, and can serve a corrupt or truncated layer.
 * One image, fake/app:latest, one gzip layer holding /hello.
 */
public final class FakeRegistry implements AutoCloseable {
    /**
     * GOOD; a layer with a flipped byte (gzip's checksum catches it); one cut
     * short; one that is valid gzip of the same tar but other bytes (its
     * header names another OS), which only the digest check can catch.
     */
    public enum Mode { GOOD, CORRUPT_LAYER, TRUNCATED_LAYER, SAME_TAR_OTHER_GZIP }

    private final HttpServer server;
    public final List<String> tokenRequests = new ArrayList<>();
    public final byte[] layer;
    public final byte[] config;
    public final byte[] manifest;
    /** The digest of the uncompressed layer: its name in the layer store. */
    public final Digest diffId;

    public FakeRegistry(Mode mode, String user, String password) throws IOException {
        byte[] tar = tar("hello", "hello from the fake registry\n");
        layer = gzip(tar);
        diffId = Digest.of(tar);
        config = Json.write(new ImageConfig("2026-01-01T00:00:00Z", null, "amd64", "linux", null,
                new ImageConfig.ContainerConfig(null, null, List.of("PATH=/bin"), null, List.of("cat", "/hello"), null, null, null, null),
                new ImageConfig.RootFs("layers", List.of(Digest.of(tar))), List.of()));
        manifest = Json.write(new Manifest(2, MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.of(config), config.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.of(layer), layer.length)), null));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expectedBasic = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server.createContext("/token", ex -> {
            tokenRequests.add(ex.getRequestURI().getQuery() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            if (expectedBasic != null && !expectedBasic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes());
                return;
            }
            send(ex, 200, "application/json", "{\"token\":\"T0KEN\"}".getBytes());
        });
        server.createContext("/v2/", ex -> {
            if (!"Bearer T0KEN".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + port()
                        + "/token\",service=\"fake-registry\",scope=\"repository:fake/app:pull\"");
                send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes());
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/v2/")) {
                send(ex, 200, "application/json", "{}".getBytes());
            } else if (path.startsWith("/v2/fake/app/manifests/")) {
                send(ex, 200, MediaTypes.OCI_MANIFEST, manifest);
            } else if (path.equals("/v2/fake/app/blobs/" + Digest.of(config))) {
                send(ex, 200, "application/octet-stream", config);
            } else if (path.equals("/v2/fake/app/blobs/" + Digest.of(layer))) {
                byte[] body = switch (mode) {
                    case GOOD -> layer;
                    case CORRUPT_LAYER -> corrupt(layer);
                    case TRUNCATED_LAYER -> Arrays.copyOf(layer, layer.length / 2);
                    case SAME_TAR_OTHER_GZIP -> otherOs(layer);
                };
                send(ex, 200, "application/octet-stream", body);
            } else {
                send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes());
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return "127.0.0.1:" + port();
    }

    private static byte[] corrupt(byte[] b) {
        byte[] c = b.clone();
        c[c.length / 2] ^= 0x55;
        return c;
    }

    /** The same gzip member with byte 9 of its header, the OS that made it, changed: outside the CRC. */
    private static byte[] otherOs(byte[] gzip) {
        byte[] c = gzip.clone();
        c[9] = (byte) (c[9] == 3 ? 0 : 3);
        return c;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    public static byte[] tar(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            e.setMode(0644);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
