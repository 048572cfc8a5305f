package jocker.image.registry;

import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.FakeRegistry;
import jocker.testing.LocalRegistry;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;

import static jocker.testing.Step04Cli.ok;
import static jocker.testing.Step04Cli.step04;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pull and push against Debian's docker-registry on 127.0.0.1, with skopeo and umoci as the witnesses. */
@RootTest
class RegistryTest {
    @TempDir
    static Path tmp;
    static LocalRegistry registry;
    static Path busyboxTar;

    @BeforeAll
    static void startTheRegistry() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")), null, null);
        busyboxTar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(busyboxTar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
    }

    @AfterAll
    static void stopTheRegistry() {
        if (registry != null) {
            registry.close();
        }
    }


    /** An image with a CMD, ENV and WORKDIR, saved as docker save writes it. */
    static Path configuredArchive(Path root) throws IOException {
        ok(step04(root, "import", "-c", "CMD [\"sh\", \"-c\", \"echo $GREETING from $(pwd)\"]", "-c", "ENV GREETING=hello",
                "-c", "WORKDIR /srv", busyboxTar.toString(), "configured:1"));
        Path archive = tmp.resolve("configured-" + root.getFileName() + ".tar");
        ok(step04(root, "save", "-o", archive.toString(), "configured:1"));
        return archive;
    }

    static int blobCount(Path root) throws IOException {
        Path blobs = root.resolve("images/blobs/sha256");
        if (!Files.isDirectory(blobs)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(blobs)) {
            return (int) s.count();
        }
    }

    /** The configured image, made under tmp/MAKER and put into the registry as NAME by skopeo; its reference. */
    private String pushedBySkopeo(String maker, String name) throws Exception {
        Path archive = configuredArchive(tmp.resolve(maker));
        String ref = registry.host() + "/" + name;
        LocalRegistry.skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + archive, "docker://" + ref);
        return ref;
    }

    @Test
    void anImageSkopeoPushedPullsAndRunsWithItsConfig() throws Exception {
        String ref = pushedBySkopeo("maker", "skopeo/configured:1");
        Path root = tmp.resolve("puller");
        Cmd.Result pull = ok(step04(root, "pull", ref));
        assertTrue(pull.out().contains("Pull complete"), pull::toString);
        assertTrue(pull.out().contains("Status: Downloaded newer image for " + ref), pull::toString);
        assertEquals("hello from /srv\n", ok(step04(root, "run", "--rm", ref)).out());
        assertTrue(ok(step04(root, "pull", ref)).out().contains("Status: Image is up to date"), "a second pull skips it all");
        TestRootfs.delete(root);
        TestRootfs.delete(tmp.resolve("maker"));
    }

    @Test
    void runPullsAMissingImageUnlessToldNever() throws Exception {
        String ref = pushedBySkopeo("maker3", "skopeo/run-pulls:1");
        Path root = tmp.resolve("runner");
        Cmd.Result never = step04(root, "run", "--rm", "--pull", "never", ref);
        assertEquals("step04: No such image: " + ref + "\n", never.err());
        assertEquals(125, never.exitCode());
        Cmd.Result run = ok(step04(root, "run", "--rm", ref));
        assertEquals("hello from /srv\n", run.out(), "the pull's progress goes to stderr, the container's output to stdout");
        assertTrue(run.err().startsWith("Unable to find image '" + ref + "' locally\n"), run::toString);
        assertTrue(run.err().contains("Pull complete"), run::toString);
        assertEquals("hello from /srv\n", ok(step04(root, "run", "--rm", "--pull", "never", ref)).out(), "now it is here");
        Cmd.Result bad = step04(root, "run", "--rm", "--pull", "sometimes", ref);
        assertEquals("step04: invalid --pull \"sometimes\": missing, always or never\n", bad.err());
        TestRootfs.delete(root);
        TestRootfs.delete(tmp.resolve("maker3"));
    }

    @Test
    void anImageStep04PushedReadsBackWithSkopeoAndUnpacksWithUmoci() throws Exception {
        Path root = tmp.resolve("pusher");
        ok(step04(root, "import", "-c", "CMD [\"cat\", \"/etc/hostname\"]", busyboxTar.toString(), "base"));
        ok(step04(root, "run", "--name", "maker", "base", "sh", "-c", "echo pushed > /pushed.txt"));
        ok(step04(root, "commit", "-m", "a file", "maker", registry.host() + "/jocker/pushed:v1"));
        Cmd.Result push = ok(step04(root, "push", registry.host() + "/jocker/pushed:v1"));
        String digest = push.out().lines().filter(l -> l.startsWith("v1: digest: ")).findFirst().orElseThrow().split(" ")[2];
        String inspected = LocalRegistry.skopeo("inspect", "--tls-verify=false", "docker://" + registry.host() + "/jocker/pushed:v1");
        assertTrue(inspected.contains("\"Digest\": \"" + digest + "\""), inspected);
        Path oci = tmp.resolve("pushed-oci");
        LocalRegistry.skopeo("copy", "--src-tls-verify=false", "docker://" + registry.host() + "/jocker/pushed:v1", "oci:" + oci + ":v1");
        Process umoci = new ProcessBuilder("umoci", "unpack", "--image", oci + ":v1", tmp.resolve("bundle").toString())
                .redirectErrorStream(true).start();
        String umociOut = new String(umoci.getInputStream().readAllBytes());
        assertEquals(0, umoci.waitFor(), umociOut);
        assertEquals("pushed\n", Files.readString(tmp.resolve("bundle/rootfs/pushed.txt")));
        // again: every blob is there already
        Cmd.Result again = ok(step04(root, "push", registry.host() + "/jocker/pushed:v1"));
        assertEquals(2, again.out().lines().filter(l -> l.endsWith("Layer already exists")).count(), again::toString);
        TestRootfs.delete(tmp.resolve("bundle"));
        TestRootfs.delete(root);
    }

    @Test
    void aPulledImagePushedElsewhereKeepsItsBlobs() throws Exception {
        Path root = tmp.resolve("mover");
        pushedBySkopeo("maker2", "first/app:1");
        ok(step04(root, "pull", registry.host() + "/first/app:1"));
        ok(step04(root, "tag", registry.host() + "/first/app:1", registry.host() + "/second/app:1"));
        String pushed = ok(step04(root, "push", registry.host() + "/second/app:1")).out();
        assertTrue(pushed.contains(": Mounted from first/app\n"), "mounted across repositories, not uploaded: " + pushed);
        String first = LocalRegistry.skopeo("inspect", "--tls-verify=false", "docker://" + registry.host() + "/first/app:1");
        String second = LocalRegistry.skopeo("inspect", "--tls-verify=false", "docker://" + registry.host() + "/second/app:1");
        assertEquals(layersOf(first), layersOf(second), "the same compressed blobs, not recompressed ones");
        TestRootfs.delete(root);
        TestRootfs.delete(tmp.resolve("maker2"));
    }

    @Test
    void aBigLayerIsUploadedInChunks() throws Exception {
        Path root = tmp.resolve("chunker");
        Path big = Files.createDirectories(tmp.resolve("big"));
        byte[] random = new byte[20 << 20];
        new java.util.Random(42).nextBytes(random);
        Files.write(big.resolve("random.bin"), random);
        Path bigTar = tmp.resolve("big.tar");
        try (OutputStream out = Files.newOutputStream(bigTar)) {
            TarExport.write(big, out);
        }
        ok(step04(root, "import", bigTar.toString(), registry.host() + "/big/data:1"));
        ok(step04(root, "push", registry.host() + "/big/data:1"));
        Path other = tmp.resolve("chunk-puller");
        ok(step04(other, "pull", registry.host() + "/big/data:1"));
        assertEquals(step04(root, "images", "-q").out(), step04(other, "images", "-q").out(), "the same image id");
        TestRootfs.delete(root);
        TestRootfs.delete(other);
    }

    @Test
    void anUnknownTagIsOneLineAndChangesNothing() throws IOException {
        Path root = tmp.resolve("unknown");
        Cmd.Result r = step04(root, "pull", registry.host() + "/nobody/nothing:nope");
        assertEquals(125, r.exitCode());
        assertTrue(r.err().startsWith("step04: manifest for " + registry.host() + "/nobody/nothing:nope not found: "), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertEquals(0, blobCount(root));
    }

    @Test
    void aMalformedReferenceIsOneLine() throws IOException {
        Cmd.Result r = step04(tmp.resolve("malformed"), "pull", "Busy Box");
        assertEquals(125, r.exitCode());
        assertEquals("step04: invalid reference format: repository name must be lowercase (\"Busy Box\")\n", r.err());
    }

    @Test
    void aManifestListGivesThePlatformAsked() throws Exception {
        Path layout = MultiPlatform.layout(tmp.resolve("multi-layout"));
        LocalRegistry.skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":latest",
                "docker://" + registry.host() + "/multi/app:latest");
        Path amd = tmp.resolve("amd");
        ok(step04(amd, "pull", registry.host() + "/multi/app"));
        assertTrue(ok(step04(amd, "inspect", registry.host() + "/multi/app")).out().contains("\"Architecture\" : \"amd64\""));
        Path arm = tmp.resolve("arm");
        ok(step04(arm, "pull", "--platform", "linux/arm64", registry.host() + "/multi/app"));
        assertTrue(ok(step04(arm, "inspect", registry.host() + "/multi/app")).out().contains("\"Architecture\" : \"arm64\""));
        Cmd.Result none = step04(tmp.resolve("s390"), "pull", "--platform", "linux/s390x", registry.host() + "/multi/app");
        assertEquals("step04: no matching manifest for linux/s390x in the manifest list entries of "
                + registry.host() + "/multi/app:latest\n", none.err());
        TestRootfs.delete(amd);
        TestRootfs.delete(arm);
    }

    @Test
    void aBearerTokenIsFetchedForTheScopeAsked() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(FakeRegistry.Mode.GOOD, null, null)) {
            Path root = tmp.resolve("bearer");
            ok(step04(root, "pull", fake.host() + "/fake/app"));
            assertTrue(fake.tokenRequests.get(0).contains("service=fake-registry"), fake.tokenRequests::toString);
            // the query as the server decodes it: the scope the challenge named, exactly
            assertTrue(fake.tokenRequests.get(0).contains("scope=repository:fake/app:pull "), fake.tokenRequests::toString);
            assertEquals("hello from the fake registry\n",
                    Files.readString(root.resolve("layers").resolve(fake.diffId.hex()).resolve("diff/hello")));
            TestRootfs.delete(root);
        }
    }

    @Test
    void aCorruptBlobIsRefusedAndNothingIsKept() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(FakeRegistry.Mode.CORRUPT_LAYER, null, null)) {
            Path root = tmp.resolve("corrupt");
            Cmd.Result r = step04(root, "pull", fake.host() + "/fake/app");
            assertEquals(125, r.exitCode(), r::toString);
            assertTrue(r.err().contains(": digest mismatch: expected sha256:"), r::toString);
            assertEquals(0, blobCount(root), "no orphan blob: the config fetched first went too");
            assertEquals("", ok(step04(root, "images", "-q")).out(), "no image");
        }
    }

    @Test
    void aBlobOfOtherBytesIsRefusedEvenWhenItUnpacksToTheSameFiles() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(FakeRegistry.Mode.SAME_TAR_OTHER_GZIP, null, null)) {
            Path root = tmp.resolve("regzipped");
            Cmd.Result r = step04(root, "pull", fake.host() + "/fake/app");
            assertEquals(125, r.exitCode(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertTrue(r.err().contains(": digest mismatch: expected sha256:"), r::toString);
            assertEquals(0, blobCount(root), "nothing kept");
            assertEquals("", ok(step04(root, "images", "-q")).out(), "no image");
        }
    }

    @Test
    void aTruncatedBlobIsRefusedAndNothingIsKept() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(FakeRegistry.Mode.TRUNCATED_LAYER, null, null)) {
            Path root = tmp.resolve("truncated");
            Cmd.Result r = step04(root, "pull", fake.host() + "/fake/app");
            assertEquals(125, r.exitCode(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertEquals(0, blobCount(root));
        }
    }

    static List<String> layersOf(String skopeoInspect) {
        int start = skopeoInspect.indexOf("\"Layers\"");
        return List.of(skopeoInspect.substring(start, skopeoInspect.indexOf(']', start)).split("\\s+"));
    }
}
