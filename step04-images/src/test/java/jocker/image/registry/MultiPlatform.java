package jocker.image.registry;

import jocker.image.Digest;
import jocker.image.MediaTypes;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.json.Index;
import jocker.image.json.Json;
import jocker.image.json.Manifest;
import jocker.testing.FakeRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An OCI layout holding an index with two platforms (amd64, arm64), for skopeo to push. */
final class MultiPlatform {
    private MultiPlatform() {}

    static Path layout(Path dir) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        byte[] layer = FakeRegistry.tar("platform", "a file\n");
        Files.write(blobs.resolve(Digest.of(layer).hex()), layer);
        List<Descriptor> manifests = new ArrayList<>();
        for (String arch : new String[] {"amd64", "arm64"}) {
            byte[] config = Json.write(new ImageConfig("2026-01-01T00:00:00Z", null, arch, "linux", null, null,
                    new ImageConfig.RootFs("layers", List.of(Digest.of(layer))), List.of()));
            Files.write(blobs.resolve(Digest.of(config).hex()), config);
            byte[] manifest = Json.write(new Manifest(2, MediaTypes.OCI_MANIFEST,
                    Descriptor.of(MediaTypes.OCI_CONFIG, Digest.of(config), config.length),
                    List.of(Descriptor.of(MediaTypes.OCI_LAYER, Digest.of(layer), layer.length)), null));
            Files.write(blobs.resolve(Digest.of(manifest).hex()), manifest);
            manifests.add(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.of(manifest), manifest.length,
                    new Descriptor.PlatformJson(arch, "linux", null), null, null));
        }
        byte[] index = Json.write(new Index(2, MediaTypes.OCI_INDEX, manifests, null));
        Files.write(blobs.resolve(Digest.of(index).hex()), index);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.write(dir.resolve("index.json"), Json.write(new Index(2, MediaTypes.OCI_INDEX,
                List.of(Descriptor.of(MediaTypes.OCI_INDEX, Digest.of(index), index.length)
                        .withAnnotations(Map.of("org.opencontainers.image.ref.name", "latest"))), null)));
        return dir;
    }
}
