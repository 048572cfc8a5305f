package jocker.dockerfile.build;

import jocker.dockerfile.DockerfileException;
import jocker.image.Images;
import jocker.image.json.ImageConfig;
import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The builder's rules for each instruction, and each error, on FROM scratch
 * (no container is started: RUN is refused there, every other instruction
 * runs in this JVM).
 */
class BuilderRulesTest {
    @TempDir
    Path tmp;

    private final StringWriter output = new StringWriter();

    private ImageConfig build(String dockerfile, Map<String, String> buildArgs, String target) throws IOException {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        Files.writeString(ctx.resolve("f.txt"), "f\n");
        Path root = tmp.resolve("root");
        Builder.Options o = new Builder.Options(ctx, null, List.of(), buildArgs, target, false, false, false, null, "none",
                Map.of(), words -> {
                    throw new AssertionError("no container may start here: " + words);
                });
        return Images.open(root).store().resolve(new Builder(root, new PrintWriter(output)).build(o).toString()).config();
    }

    private ImageConfig build(String dockerfile) throws IOException {
        return build(dockerfile, Map.of(), null);
    }

    private String error(String dockerfile) {
        return assertThrows(JockerException.class, () -> build(dockerfile)).getMessage();
    }

    @Test
    void metadataInstructionsMakeTheConfig() throws IOException {
        ImageConfig c = build("""
                FROM scratch
                ARG V=1
                ENV A=$V B="x y" A2=${A}b
                LABEL l1=$V "l 2"=two
                WORKDIR a
                WORKDIR b
                USER 10:10
                EXPOSE 80 53/UDP
                VOLUME ["/v1", "/v2"]
                STOPSIGNAL SIGINT
                SHELL ["/bin/bash", "-c"]
                CMD echo $A
                ENTRYPOINT ["/e"]
                MAINTAINER me
                ONBUILD COPY f.txt /f
                HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s CMD ["check"]
                """);
        ImageConfig.ContainerConfig k = c.config();
        assertEquals(List.of("PATH=" + Builder.DEFAULT_PATH, "A=1", "B=x y", "A2=1b"), k.env());
        assertEquals(Map.of("l1", "1", "l 2", "two"), k.labels());
        assertEquals("/a/b", k.workingDir(), "a relative WORKDIR goes on from the last");
        assertEquals("10:10", k.user());
        assertEquals(Map.of("80/tcp", Map.of(), "53/udp", Map.of()), k.exposedPorts());
        assertEquals(Map.of("/v1", Map.of(), "/v2", Map.of()), k.volumes());
        assertEquals("SIGINT", k.stopSignal());
        assertEquals(List.of("/bin/bash", "-c", "echo $A"), k.cmd(), "the shell form under SHELL, unexpanded");
        assertEquals(List.of("/e"), k.entrypoint());
        assertEquals("me", c.author());
        assertEquals(List.of("COPY f.txt /f"), k.onBuild());
        assertEquals(new ImageConfig.HealthConfig(List.of("CMD", "check"), 90_000_000_000L, 500_000_000L, 2_000_000_000L,
                null, null), k.healthcheck());
        assertTrue(c.history().stream().allMatch(h -> Boolean.TRUE.equals(h.emptyLayer()) || h.createdBy().contains("WORKDIR")),
                "every step but WORKDIR's mkdir is config only");
        assertEquals("/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD\" \"check\"] \"1m30s\" \"500ms\" \"2s\" '\\x00'}",
                c.history().get(c.history().size() - 1).createdBy());
    }

    @Test
    void argsScopesAndBuildArgs() throws IOException {
        ImageConfig c = build("""
                ARG BASE=scratch
                ARG ONLY_BEFORE=meta
                FROM $BASE
                ARG ONLY_BEFORE
                ARG GIVEN=default
                ENV SEEN="$ONLY_BEFORE $GIVEN $UNDECLARED"
                """, Map.of("GIVEN", "from-cli", "UNUSED", "x", "HTTP_PROXY", "p"), null);
        assertEquals("SEEN=meta from-cli ", c.config().env().get(1), "an ARG re-declared after FROM takes the meta value");
        assertTrue(output.toString().contains("[Warning] One or more build-args [UNUSED] were not consumed\n"), output.toString());
        assertTrue(!output.toString().contains("[HTTP_PROXY]"), "the proxy args are never warned of");
        assertTrue(output.toString().contains("Step 1/6 : ARG BASE=scratch\nStep 2/6 : ARG ONLY_BEFORE=meta\nStep 3/6 : FROM $BASE\n"),
                output.toString());
    }

    @Test
    void targetBuildsOnlyTheStagesItNeeds() throws IOException {
        ImageConfig c = build("""
                FROM scratch AS one
                ENV STAGE=one
                FROM scratch AS two
                ENV STAGE=two
                FROM one AS three
                ENV ALSO=three
                """, Map.of(), "three");
        assertEquals(List.of("PATH=" + Builder.DEFAULT_PATH, "STAGE=one", "ALSO=three"), c.config().env());
        assertTrue(!output.toString().contains("STAGE=two"), "stage two is not built: " + output);
        assertEquals("failed to reach build target nosuch in Dockerfile",
                assertThrows(JockerException.class, () -> build("FROM scratch\n", Map.of(), "nosuch")).getMessage());
    }

    @Test
    void everyInstructionsErrors() {
        String[][] cases = {
                {"FROM scratch\nFROB x\n", "dockerfile parse error on line 2: unknown instruction: FROB"},
                {"ENV A=1\nFROM scratch\n", "dockerfile parse error on line 1: no build stage in current context"},
                {"# only a comment\n", "file with no instructions"},
                {"FROM scratch AS\n", "dockerfile parse error on line 1: FROM requires either one or three arguments"},
                {"FROM scratch IS x\n", "dockerfile parse error on line 1: FROM requires either one or three arguments"},
                {"FROM scratch AS 1st\n", "dockerfile parse error on line 1: invalid name for build stage: \"1st\", name can't start with a number or contain symbols"},
                {"ARG B=\nFROM ${B}\n", "dockerfile parse error on line 2: base name (${B}) should not be blank"},
                {"FROM scratch\nCOPY onlyone\n", "dockerfile parse error on line 2: COPY requires at least two arguments, but only 1 provided"},
                {"FROM scratch\nSHELL /bin/bash -c\n", "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form"},
                {"FROM scratch\nHEALTHCHECK\n", "dockerfile parse error on line 2: HEALTHCHECK requires an argument"},
                {"FROM scratch\nHEALTHCHECK NONE x\n", "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments"},
                {"FROM scratch\nHEALTHCHECK PING x\n", "dockerfile parse error on line 2: Unknown type \"PING\" in HEALTHCHECK (try CMD)"},
                {"FROM scratch\nHEALTHCHECK --interval=10us CMD x\n", "dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms"},
                {"FROM scratch\nHEALTHCHECK --interval=soon CMD x\n", "dockerfile parse error on line 2: time: invalid duration \"soon\""},
                {"FROM scratch\nHEALTHCHECK --retries=-1 CMD x\n", "dockerfile parse error on line 2: --retries cannot be negative (-1)"},
                {"FROM scratch\nONBUILD ONBUILD RUN x\n", "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"},
                {"FROM scratch\nONBUILD FROM x\n", "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger"},
                {"FROM scratch\nVOLUME [\"\"]\n", "dockerfile parse error on line 2: VOLUME specified can not be an empty string"},
                {"FROM scratch\nCOPY --frob=1 f.txt /\n", "dockerfile parse error on line 2: unknown flag: frob"},
                {"FROM scratch\nCOPY --parents f.txt /\n", "dockerfile parse error on line 2: unknown flag: parents"},
                {"FROM scratch\nCOPY --exclude=*.md f.txt /\n", "dockerfile parse error on line 2: unknown flag: exclude"},
                {"FROM scratch\nCOPY --checksum=sha256:00 f.txt /\n", "dockerfile parse error on line 2: unknown flag: checksum"},
                {"FROM scratch\nADD --checksum=sha256:00 f.txt /\n", "checksum can't be specified for non-HTTP(S) sources"},
                {"FROM scratch\nADD --checksum=md5:00 http://127.0.0.1:9/f.txt /\n", "invalid checksum digest format: md5:00"},
                {"FROM scratch\nCOPY nothere /\n", "COPY failed: file not found in build context or excluded by .dockerignore: stat nothere: file does not exist"},
                {"FROM scratch\nADD --from=x f.txt /\n", "dockerfile parse error on line 2: ADD --from is not supported: use COPY --from"},
                {"FROM scratch\nENV A=${B:?needs_B}\n", "failed to process \"${B:?needs_B}\": B: needs_B"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], error(c[0]), c[0]);
        }
        assertTrue(error("FROM scratch\nRUN true\n").contains("FROM scratch has no files to run it with"));
    }

    @Test
    void copyLinkCopiesIntoALayerOfItsOwn() throws IOException {
        ImageConfig linked = build("FROM scratch\nCOPY --link f.txt /f\n");
        assertEquals(1, linked.rootfs().diffIds().size(), "a COPY layer holds only what it copies, which --link asks for");
        jocker.image.store.ImageStore.Image image = Images.open(tmp.resolve("root")).store().list().get(0);
        Path f = jocker.storage.MergedLayers.of(Images.open(tmp.resolve("root")).layersOf(image)).entry("f");
        assertEquals("f\n", Files.readString(f));
    }

    @Test
    void aRebuildIsTheSameImageAndCopyMissesWhenTheFileChanges() throws IOException {
        String dockerfile = "FROM scratch\nENV A=1\nCOPY f.txt /f\nLABEL x=y\n";
        ImageConfig first = build(dockerfile);
        String firstOut = output.toString();
        output.getBuffer().setLength(0);
        ImageConfig again = build(dockerfile);
        assertEquals(first, again, "the same config, so the same image id");
        assertEquals(3, output.toString().split(" ---> Using cache", -1).length - 1, output.toString());
        assertTrue(!firstOut.contains("Using cache"), firstOut);
        output.getBuffer().setLength(0);
        Files.writeString(tmp.resolve("ctx/f.txt"), "changed\n");
        Path ctx = tmp.resolve("ctx");
        Builder.Options o = new Builder.Options(ctx, null, List.of(), Map.of(), null, false, false, false, null, "none", Map.of(),
                w -> 1);
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        new Builder(tmp.resolve("root"), new PrintWriter(output)).build(o);
        assertEquals(1, output.toString().split(" ---> Using cache", -1).length - 1, "only ENV: " + output);
    }

    @Test
    void iidfileLabelsTagsAndAContextFromATar() throws IOException {
        Path ctx = Files.createDirectories(tmp.resolve("tarred"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY in.txt /\n");
        Files.writeString(ctx.resolve("in.txt"), "from the tar\n");
        Path tar = tmp.resolve("ctx.tar");
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream t =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(tar))) {
            for (String name : List.of("Dockerfile", "in.txt")) {
                org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                        new org.apache.commons.compress.archivers.tar.TarArchiveEntry(ctx.resolve(name).toFile(), name);
                t.putArchiveEntry(e);
                Files.copy(ctx.resolve(name), t);
                t.closeArchiveEntry();
            }
        }
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        try (java.io.InputStream in = Files.newInputStream(tar)) {
            ContextTar.extract(in, unpacked);
        }
        assertEquals("from the tar\n", Files.readString(unpacked.resolve("in.txt")));
        Path iid = tmp.resolve("iid");
        Path root = tmp.resolve("root");
        Builder.Options o = new Builder.Options(unpacked, null, List.of(jocker.image.ImageReference.parse("t:1"),
                jocker.image.ImageReference.parse("t:2")), Map.of(), null, false, false, true, iid, "none", Map.of("built-by", "test"),
                w -> 1);
        jocker.image.Digest id = new Builder(root, new PrintWriter(output)).build(o);
        assertEquals(id.toString(), Files.readString(iid));
        assertEquals(id + "\n", output.toString(), "-q: the id alone");
        jocker.image.store.ImageStore store = Images.open(root).store();
        assertEquals(id, store.resolve("t:1").id());
        assertEquals(id, store.resolve("t:2").id());
        assertEquals(Map.of("built-by", "test"), store.resolve("t:1").config().config().labels());
    }

    @Test
    void aDockerfileIsFoundOrNamed() {
        Path ctx = tmp.resolve("empty");
        assertThrows(JockerException.class, () -> BuildContext.open(ctx));
        assertEquals("unable to prepare context: path \"" + ctx + "\" not found",
                assertThrows(JockerException.class, () -> BuildContext.open(ctx)).getMessage());
        assertTrue(DockerfileException.class.isAssignableFrom(DockerfileException.class));
        assertEquals("4.096kB", BuildContext.humanSize(4096));
        assertEquals("512B", BuildContext.humanSize(512));
        assertEquals("1.5MB", BuildContext.humanSize(1_500_000));
    }
}
