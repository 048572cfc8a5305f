package jocker.image;

import jocker.image.json.ImageConfig;
import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** References, digests, platforms and --change, parsed as docker parses them. */
class ValuesTest {
    @Test
    void referencesAreNormalisedAsDockerDoes() {
        assertEquals("docker.io/library/busybox:latest", ImageReference.parse("busybox").toString());
        assertEquals("docker.io/me/app:1.0", ImageReference.parse("me/app:1.0").toString());
        assertEquals("localhost:5000/app:latest", ImageReference.parse("localhost:5000/app").toString());
        assertEquals("registry.example.com/a/b/c:x", ImageReference.parse("registry.example.com/a/b/c:x").toString());
        ImageReference byDigest = ImageReference.parse("busybox@sha256:" + "a".repeat(64));
        assertNull(byDigest.tag());
        assertEquals("sha256:" + "a".repeat(64), byDigest.manifestReference());
        assertEquals("busybox:latest", ImageReference.parse("docker.io/library/busybox").familiar());
        assertEquals("localhost/app:latest", ImageReference.parse("localhost/app").toString());
        assertEquals("library/busybox", ImageReference.parse("busybox").name());
    }

    @Test
    void badReferencesSayWhy() {
        assertEquals("invalid reference format: repository name must be lowercase (\"Busybox\")",
                assertThrows(JockerException.class, () -> ImageReference.parse("Busybox")).getMessage());
        String name255 = "a".repeat(255);
        assertEquals("docker.io/library/" + name255 + ":1", ImageReference.parse(name255 + ":1").toString());
        assertEquals("invalid reference format: repository name must not be more than 255 characters (\"a" + name255 + ":1\")",
                assertThrows(JockerException.class, () -> ImageReference.parse("a" + name255 + ":1")).getMessage());
        assertEquals("invalid reference format: bad tag \"-x\" (\"busybox:-x\")",
                assertThrows(JockerException.class, () -> ImageReference.parse("busybox:-x")).getMessage());
        assertThrows(JockerException.class, () -> ImageReference.parse(""));
        assertThrows(JockerException.class, () -> ImageReference.parse("a//b"));
        assertThrows(JockerException.class, () -> ImageReference.parse("busybox@sha256:123"));
    }

    @Test
    void digests() {
        assertEquals("sha256:" + "0".repeat(64), Digest.parse("sha256:" + "0".repeat(64)).toString());
        assertEquals("invalid digest \"md5:x\" (want sha256: and 64 lowercase hex digits)",
                assertThrows(JockerException.class, () -> Digest.parse("md5:x")).getMessage());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.of(new byte[0]).hex());
    }

    @Test
    void platforms() {
        assertEquals(new Platform("linux", "arm64", "v8"), Platform.parse("linux/arm64/v8"));
        assertTrue(Platform.parse("linux/arm64").matches("linux", "arm64", "v8"), "no variant asked: any");
        assertThrows(JockerException.class, () -> Platform.parse("amd64"));
    }

    @Test
    void changesSetTheConfigAsDockerfileInstructionsWould() {
        ImageConfig.ContainerConfig c = ConfigChanges.apply(ImageConfig.ContainerConfig.EMPTY, List.of(
                "CMD [\"a\", \"b\"]", "ENTRYPOINT /init --flag", "ENV A=1 B=\"two words\"", "ENV C 3", "WORKDIR /w",
                "USER app", "EXPOSE 80", "EXPOSE 53/udp", "LABEL k=v", "VOLUME /data", "STOPSIGNAL SIGINT"));
        assertEquals(List.of("a", "b"), c.cmd());
        assertEquals(List.of("/bin/sh", "-c", "/init --flag"), c.entrypoint());
        assertEquals(List.of("A=1", "B=two words", "C=3"), c.env());
        assertEquals("/w", c.workingDir());
        assertEquals("app", c.user());
        assertTrue(c.exposedPorts().containsKey("80/tcp") && c.exposedPorts().containsKey("53/udp"));
        assertEquals("v", c.labels().get("k"));
        assertTrue(c.volumes().containsKey("/data"));
        assertEquals("SIGINT", c.stopSignal());
        assertEquals("invalid change \"RUN true\": RUN is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR",
                assertThrows(JockerException.class, () -> ConfigChanges.apply(c, List.of("RUN true"))).getMessage());
    }
}
