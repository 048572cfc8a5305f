package jocker.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static jocker.testing.Step04Cli.ok;
import static jocker.testing.Step04Cli.step04;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local image commands: run from an image, commit, history, tag, rmi. */
@RootTest
class ImagesTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void importBusybox() throws IOException {
        root = tmp.resolve("root");
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
        ok(step04(root, "import", "-c", "CMD [\"sh\", \"-c\", \"echo cmd; pwd; echo $A; id -u\"]", "-c", "ENV A=from-image",
                "-c", "WORKDIR /srv", "-c", "USER nobody", tar.toString(), "base:1"));
    }

    @AfterEach
    void deleteTheStore() throws IOException {
        TestRootfs.delete(root);
    }

    private Cmd.Result run(String... args) throws IOException {
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "--rm";
        System.arraycopy(args, 0, all, 2, args.length);
        return step04(root, all);
    }

    @Test
    void aVolumeAndAWorkdirReachedThroughTheImagesSymlinksAreMadeWhereTheyPoint() throws Exception {
        Path rootfs = TestRootfs.copy(Files.createDirectories(tmp.resolve("linked")));
        Files.createSymbolicLink(rootfs.resolve("data"), Path.of("/var/lib/nothere"));
        Files.createSymbolicLink(rootfs.resolve("work"), Path.of("../opt/app"));
        ok(step04(root, "import", "-c", "WORKDIR /work/sub", "-c", "VOLUME /data", rootfs.toString(), "linked:1"));
        assertEquals("/opt/app/sub\nmounted\n", ok(run("linked:1", "sh", "-c",
                "pwd; grep -q ' /var/lib/nothere ' /proc/self/mountinfo && echo mounted")).out());
        TestRootfs.delete(rootfs.getParent());
    }

    @Test
    void theImageConfigFillsTheSpec() throws IOException {
        assertEquals("cmd\n/srv\nfrom-image\n65534\n", ok(run("base:1")).out());
    }

    @Test
    void flagsAndArgumentsOverrideItAsDockersDo() throws IOException {
        assertEquals("/tmp\nfrom-flag\n0\n", ok(run("-w", "/tmp", "-e", "A=from-flag", "-u", "0", "base:1",
                "sh", "-c", "pwd; echo $A; id -u")).out());
        assertEquals("x\n", ok(run("--entrypoint", "echo", "base:1", "x")).out());
        assertEquals("no command given\n", step04(root, "run", "--rm", "--entrypoint", "", "base:1").err()
                .replace("step04: no command specified: the image has no CMD or ENTRYPOINT, and none was given", "no command given"));
    }

    @Test
    void volumesLabelsPortsAndStopSignalReachTheContainer() throws IOException {
        ok(step04(root, "run", "--name", "maker", "-u", "0", "base:1", "sh", "-c", "mkdir -p /data && echo seed > /data/seed"));
        ok(step04(root, "commit", "-c", "VOLUME [\"/data\", \"/empty\"]", "-c", "LABEL team=infra",
                "-c", "EXPOSE 80/tcp 53/udp", "-c", "STOPSIGNAL SIGINT", "maker", "vol:1"));
        ok(step04(root, "run", "--name", "user", "-u", "0", "vol:1", "sh", "-c",
                "cat /data/seed; echo more > /data/new; ls /empty; echo layer > /in-layer; grep -c ' /data ' /proc/self/mountinfo"));
        String id = ok(step04(root, "ps")).out().lines().filter(l -> l.contains("  user ")).findFirst().orElseThrow().split(" ")[0];
        Path dir;
        try (Stream<Path> s = Files.list(root.resolve("containers"))) {
            dir = s.filter(p -> p.getFileName().toString().startsWith(id)).findFirst().orElseThrow();
        }
        assertEquals("seed\n", Files.readString(dir.resolve("volumes/0/seed")), "the volume starts with the image's files");
        assertEquals("more\n", Files.readString(dir.resolve("volumes/0/new")), "what the container writes lands in it");
        String diff = ok(step04(root, "diff", "user")).out();
        assertTrue(diff.contains("A /in-layer") && !diff.contains("/data/new"), "volume data stays out of the layer: " + diff);
        jocker.spec.Spec spec = jocker.spec.SpecFile.read(dir.resolve("config.json"));
        assertEquals("{org.opencontainers.image.exposedPorts=53/udp,80/tcp, org.opencontainers.image.stopSignal=SIGINT, team=infra}",
                new java.util.TreeMap<>(spec.annotations()).toString());
    }

    @Test
    void commitAddsALayerThatHistoryShows() throws IOException {
        ok(step04(root, "run", "--name", "work", "-u", "0", "base:1", "sh", "-c", "echo kept > /kept; rm /etc/group"));
        String id = ok(step04(root, "commit", "-a", "Jane", "-m", "keep a file", "-c", "CMD [\"cat\", \"/kept\"]", "work", "next:1")).out().trim();
        assertTrue(id.startsWith("sha256:"), id);
        assertEquals("kept\n", ok(run("next:1")).out());
        assertEquals("gone\n", ok(run("next:1", "sh", "-c", "ls /etc/group 2>/dev/null || echo gone")).out(),
                "the deletion is a whiteout in the new layer");
        String history = ok(step04(root, "history", "next:1")).out();
        assertTrue(history.lines().skip(1).findFirst().orElse("").contains("jocker commit"), history);
        assertTrue(history.contains("keep a file"), history);
        String inspect = ok(step04(root, "inspect", "next:1")).out();
        assertTrue(inspect.contains("\"Author\" : \"Jane\""), inspect);
    }

    @Test
    void rmiKeepsLayersOtherImagesShare() throws IOException {
        ok(step04(root, "run", "--name", "work", "base:1", "true"));
        ok(step04(root, "commit", "work", "child:1"));
        ok(step04(root, "rm", "work"));
        Cmd.Result removed = ok(step04(root, "rmi", "child:1"));
        assertTrue(removed.out().startsWith("Untagged: child:1\nDeleted: sha256:"), removed::toString);
        assertEquals(1, removed.out().lines().filter(l -> l.startsWith("Deleted: sha256:")).count() - 1,
                "one layer deleted: the committed one; the base layer stays\n" + removed.out());
        assertEquals("cmd\n", ok(run("base:1", "echo", "cmd")).out(), "the base image still runs");
    }

    @Test
    void rmiRefusesAnImageAContainerUsesUnlessForced() throws IOException {
        ok(step04(root, "run", "--name", "user", "base:1", "true"));
        Cmd.Result refused = step04(root, "rmi", "base:1");
        assertEquals(125, refused.exitCode());
        assertTrue(refused.err().startsWith("step04: conflict: unable to delete "), refused::toString);
        assertTrue(refused.err().contains("image is being used by container"), refused::toString);
        assertTrue(ok(step04(root, "images")).out().contains("base "), "still there");
        assertEquals("Untagged: base:1\n", ok(step04(root, "rmi", "-f", "base:1")).out(),
                "forced: the name goes, the image stays, dangling, as docker leaves it");
        assertTrue(ok(step04(root, "images")).out().contains("<none>"), "dangling");
        assertEquals("exited\n", ok(step04(root, "ps")).out().lines().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1) + "\n")
                .findFirst().orElse(""), "the container's layers are kept for it");
        ok(step04(root, "commit", "user", "saved:1")); // its image is still there to commit onto
    }

    @Test
    void tagAndUntag() throws IOException {
        ok(step04(root, "tag", "base:1", "other/name:2"));
        String images = ok(step04(root, "images")).out();
        assertTrue(images.contains("other/name") && images.contains("base "), images);
        assertEquals("Untagged: other/name:2\n", ok(step04(root, "rmi", "other/name:2")).out());
        Cmd.Result unknown = step04(root, "rmi", "nothing:here");
        assertEquals("step04: No such image: nothing:here\n", unknown.err());
    }

    @Test
    void theStoreIsAnOciLayout() throws IOException {
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(root.resolve("images/oci-layout")));
        String index = Files.readString(root.resolve("images/index.json"));
        assertTrue(index.contains("\"org.opencontainers.image.ref.name\":\"docker.io/library/base:1\""), index);
        try (Stream<Path> blobs = Files.list(root.resolve("images/blobs/sha256"))) {
            for (Path b : blobs.toList()) {
                assertEquals(b.getFileName().toString(), Digest.of(Files.readAllBytes(b)).hex(), "every blob is its digest");
            }
        }
        JsonNode manifests = new ObjectMapper().readTree(index).get("manifests");
        assertEquals(1, manifests.size(), index);
        String manifest = manifests.get(0).get("digest").asText();
        assertTrue(Files.exists(root.resolve("images/blobs/sha256").resolve(manifest.substring("sha256:".length()))),
                "the index names a manifest the layout holds: " + manifest);
    }
}
