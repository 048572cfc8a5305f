package jocker.image.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jocker.image.Digest;
import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.LocalRegistry;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static jocker.testing.Step04Cli.ok;
import static jocker.testing.Step04Cli.step04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** save and load, in both formats, against skopeo's reading and writing of them. */
@RootTest
class ArchivesTest {
    @TempDir
    Path tmp;

    private Path busyboxTar() throws Exception {
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
        return tar;
    }

    @Test
    void anArchiveSkopeoWroteLoadsAndRuns() throws Exception {
        Path archive = tmp.resolve("skopeo.tar");
        LocalRegistry.skopeo("copy", "tarball:" + busyboxTar(), "docker-archive:" + archive + ":made/by-skopeo:1");
        Path root = tmp.resolve("root");
        assertEquals("Loaded image: made/by-skopeo:1\n", ok(step04(root, "load", "-i", archive.toString())).out());
        assertEquals("loaded\n", ok(step04(root, "run", "--rm", "made/by-skopeo:1", "echo", "loaded")).out());
        TestRootfs.delete(root);
    }

    @Test
    void anArchiveStep04SavedLoadsIntoSkopeoAndBack() throws Exception {
        Path root = tmp.resolve("root");
        ok(step04(root, "import", "-c", "CMD [\"echo\", \"round trip\"]", busyboxTar().toString(), "app:1"));
        String id = ok(step04(root, "images", "-q")).out().trim();
        for (String format : new String[] {"docker", "oci"}) {
            Path archive = tmp.resolve("saved-" + format + ".tar");
            ok(step04(root, "save", "--format", format, "-o", archive.toString(), "app:1"));
            String transport = format.equals("docker") ? "docker-archive:" + archive : "oci-archive:" + archive + ":1";
            Path oci = tmp.resolve("via-skopeo-" + format);
            LocalRegistry.skopeo("copy", transport, "oci:" + oci + ":1");
            Process umoci = new ProcessBuilder("umoci", "unpack", "--image", oci + ":1", tmp.resolve("bundle-" + format).toString())
                    .redirectErrorStream(true).start();
            String out = new String(umoci.getInputStream().readAllBytes());
            assertEquals(0, umoci.waitFor(), out);
            assertTrue(Files.exists(tmp.resolve("bundle-" + format + "/rootfs/bin/busybox")));
            Path other = tmp.resolve("other-" + format);
            assertEquals("Loaded image: app:1\n", ok(step04(other, "load", "-i", archive.toString())).out());
            assertEquals(id, ok(step04(other, "images", "-q")).out().trim(), "the config's bytes, and so the id, survive");
            assertEquals("round trip\n", ok(step04(other, "run", "--rm", "app:1")).out());
            TestRootfs.delete(other);
            TestRootfs.delete(tmp.resolve("bundle-" + format));
        }
        TestRootfs.delete(root);
    }

    @Test
    void anOciArchiveWhoseConfigListsTooFewLayersIsOneLineAndLoadsNothing() throws Exception {
        // the config says diff_ids: [] for the manifest's one layer; digests redone so only that is wrong
        Edited bad = ociArchiveWithConfig("bad", config -> ((ObjectNode) config.get("rootfs")).putArray("diff_ids"));

        Path other = tmp.resolve("other");
        Cmd.Result r = step04(other, "load", "-i", bad.archive().toString());
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step04: config " + bad.config() + ": 0 diff ids for 1 layers\n", r.err());
        assertEquals("", ok(step04(other, "images", "-q")).out(), "nothing loaded");
        TestRootfs.delete(other);
    }

    @Test
    void anImageOfAnotherPlatformRunsWithDockersWarningAndAPlatformAskedIsChecked() throws Exception {
        // what a single-platform arm64 image says (its busybox here is amd64)
        Path arm = ociArchiveWithConfig("arm", config -> config.put("architecture", "arm64")).archive();

        Path other = tmp.resolve("other");
        ok(step04(other, "load", "-i", arm.toString()));
        Cmd.Result r = ok(step04(other, "run", "--rm", "app:1", "echo", "ran"));
        assertEquals("ran\n", r.out());
        assertEquals("WARNING: The requested image's platform (linux/arm64) does not match the detected host platform"
                + " (" + jocker.image.Platform.current() + ") and no specific platform was requested\n", r.err());

        Cmd.Result wrong = step04(other, "run", "--rm", "--platform", "linux/amd64", "--pull", "never", "app:1", "true");
        assertEquals(125, wrong.exitCode(), wrong::toString);
        assertEquals("step04: image with reference app:1 was found but does not match the specified platform:"
                + " wanted linux/amd64, actual: linux/arm64\n", wrong.err());
        Cmd.Result bad = step04(other, "run", "--rm", "--platform", "foo", "app:1", "true");
        assertEquals(125, bad.exitCode(), bad::toString);
        assertEquals("step04: invalid platform \"foo\" (want os/arch[/variant], as linux/amd64)\n", bad.err());
        assertEquals("ran\n", ok(step04(other, "run", "--rm", "--platform", "linux/arm64", "app:1", "echo", "ran")).out(),
                "asked for, it runs without a warning");
        TestRootfs.delete(other);
    }

    interface ConfigEdit {
        void apply(ObjectNode config);
    }

    /** An edited archive, and the digest of its edited config. */
    record Edited(Path archive, Digest config) {
    }

    /**
     * busybox imported as app:1 and saved as an OCI archive, its config
     * edited and every digest that names it redone: an archive wrong only in
     * what the edit changed.
     */
    private Edited ociArchiveWithConfig(String name, ConfigEdit edit) throws Exception {
        Path root = tmp.resolve(name + "-maker");
        ok(step04(root, "import", busyboxTar().toString(), "app:1"));
        Path archive = tmp.resolve(name + "-saved.tar");
        ok(step04(root, "save", "--format", "oci", "-o", archive.toString(), "app:1"));
        TestRootfs.delete(root);
        Path dir = Files.createDirectory(tmp.resolve(name + "-unpacked"));
        tar("-xf", archive.toString(), "-C", dir.toString());
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = (ObjectNode) json.readTree(dir.resolve("index.json").toFile());
        ObjectNode manifestRef = (ObjectNode) index.get("manifests").get(0);
        ObjectNode manifest = (ObjectNode) json.readTree(blob(dir, manifestRef.get("digest").asText()));
        ObjectNode config = (ObjectNode) json.readTree(blob(dir, manifest.get("config").get("digest").asText()));
        edit.apply(config);
        Digest configDigest = putBlob(dir, json.writeValueAsBytes(config), (ObjectNode) manifest.get("config"));
        putBlob(dir, json.writeValueAsBytes(manifest), manifestRef);
        Files.write(dir.resolve("index.json"), json.writeValueAsBytes(index));
        Path edited = tmp.resolve(name + ".tar");
        tar("-cf", edited.toString(), "-C", dir.toString(), ".");
        return new Edited(edited, configDigest);
    }

    private static byte[] blob(Path dir, String digest) throws Exception {
        return Files.readAllBytes(dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    /** Stores bytes as a blob and points the descriptor at it. */
    private static Digest putBlob(Path dir, byte[] bytes, ObjectNode descriptor) throws Exception {
        Digest digest = Digest.of(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.hex()), bytes);
        descriptor.put("digest", digest.toString());
        descriptor.put("size", bytes.length);
        return digest;
    }

    private static void tar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tar"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void notAnArchiveIsOneLine() throws Exception {
        Cmd.Result r = step04(tmp.resolve("root"), "load", "-i", busyboxTar().toString());
        assertEquals(125, r.exitCode());
        assertEquals("step04: not an image archive: it has neither manifest.json (docker) nor oci-layout (OCI)\n", r.err());
    }
}
