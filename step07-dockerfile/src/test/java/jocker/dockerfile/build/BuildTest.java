package jocker.dockerfile.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jocker.storage.TarExport;
import jocker.testing.Cmd;
import jocker.testing.LocalRegistry;
import jocker.testing.RootTest;
import jocker.testing.Step04Cli;
import jocker.testing.TestRootfs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static jocker.testing.Step04Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real builds by step07: every instruction, the cache, multi-stage, failures that leave nothing. */
@RootTest
class BuildTest {
    private static final String STEP07 = "jocker.dockerfile.cli.Step07";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path root;
    Path ctx;

    @BeforeEach
    void importBusyboxAndMakeAContext() throws IOException {
        root = tmp.resolve("root");
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            TarExport.write(TestRootfs.busybox(), out);
        }
        ok(step07("import", tar.toString(), "bb"));
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.createDirectories(ctx.resolve("files/sub"));
        Files.writeString(ctx.resolve("files/a.txt"), "a\n");
        Files.writeString(ctx.resolve("files/sub/b.txt"), "b\n");
        Files.writeString(ctx.resolve("files/secret.key"), "no\n");
        Files.writeString(ctx.resolve("one.txt"), "one\n");
        Files.writeString(ctx.resolve(".dockerignore"), "# keys stay out\n**/*.key\n");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                Files.newOutputStream(ctx.resolve("archive.tar.gz"))))) {
            byte[] data = "inside the archive\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("in/archive.txt");
            e.setSize(data.length);
            e.setMode(0644);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        Files.writeString(ctx.resolve("Dockerfile"), """
                # syntax=docker/dockerfile:1
                ARG BASE=bb
                FROM ${BASE} AS base
                ARG GREETING=hello
                ENV APP=/app NAME="the app"
                LABEL version="1.0" \\
                      team=core
                WORKDIR $APP
                COPY files/ ./
                COPY --chown=1000:1000 --chmod=640 one.txt /data/
                ADD archive.tar.gz /unpacked/
                RUN echo "$GREETING from $NAME" > greeting && chmod 644 greeting
                USER 1000
                EXPOSE 8080 53/udp
                VOLUME /data
                STOPSIGNAL SIGTERM
                ENTRYPOINT ["/bin/sh", "-c"]
                CMD ["cat /app/greeting; ls /app; ls /app/sub; stat -c '%u:%g %a' /data/one.txt; cat /unpacked/in/archive.txt"]

                FROM bb
                COPY --from=base /app/greeting /copied
                CMD ["cat", "/copied"]
                """);
    }

    @AfterEach
    void nothingLeft() throws IOException {
        if (Files.isDirectory(root.resolve("containers"))) {
            try (Stream<Path> s = Files.list(root.resolve("containers"))) {
                assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList(),
                        "no build container is left");
            }
        }
        ok(step07("cleanup"));
        TestRootfs.delete(root);
    }

    private Cmd.Result step07(String... args) throws IOException {
        return Step04Cli.run(STEP07, root, args);
    }

    private JsonNode config(String image) throws IOException {
        return JSON.readTree(ok(step07("inspect", image)).out()).get(0).get("Config");
    }

    private static String sha256(String text) throws java.security.NoSuchAlgorithmException {
        return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private String imageId(String image) throws IOException {
        return JSON.readTree(ok(step07("inspect", image)).out()).get(0).get("Id").asText();
    }

    @Test
    void everyInstructionTheCacheAndTwoStages() throws IOException {
        Cmd.Result first = ok(step07("build", "-t", "app", "--target", "base", ctx.toString()));
        String out = first.out();
        assertTrue(out.startsWith("Sending build context to Docker daemon  "), out);
        assertTrue(out.contains("Step 1/16 : ARG BASE=bb\nStep 2/16 : FROM ${BASE} AS base\n"), out);
        assertTrue(out.contains(" ---> Running in "), out);
        assertTrue(out.contains("Removing intermediate container "), out);
        assertTrue(out.contains("Successfully tagged app:latest\n"), out);
        String id = out.replaceAll("(?s).*Successfully built ([0-9a-f]{12}).*", "$1");

        Cmd.Result run = ok(step07("run", "--rm", "app"));
        assertEquals("hello from the app\na.txt\ngreeting\nsub\nb.txt\n1000:1000 640\ninside the archive\n", run.out(),
                ".dockerignore kept secret.key out");
        JsonNode c = config("app");
        assertEquals("1000", c.get("User").asText());
        assertEquals("/app", c.get("WorkingDir").asText());
        assertEquals("SIGTERM", c.get("StopSignal").asText());
        assertTrue(c.get("Env").toString().contains("\"APP=/app\"") && c.get("Env").toString().contains("\"NAME=the app\""),
                c.get("Env").toString());
        assertEquals("{\"team\":\"core\",\"version\":\"1.0\"}", c.get("Labels").toString());
        assertEquals("{\"53/udp\":{},\"8080/tcp\":{}}", c.get("ExposedPorts").toString());
        assertEquals("{\"/data\":{}}", c.get("Volumes").toString());
        assertFalse(c.get("Env").toString().contains("GREETING"), "an ARG is not in the image's environment");

        // all cached: the same image
        Cmd.Result again = ok(step07("build", "-t", "app", "--target", "base", ctx.toString()));
        assertEquals(14, again.out().split(" ---> Using cache", -1).length - 1, again.out());
        assertTrue(again.out().contains("Successfully built " + id + "\n"), again.out());
        assertFalse(again.out().contains("Running in"), again.out());

        // a changed file misses from its COPY on
        Files.writeString(ctx.resolve("files/a.txt"), "A\n");
        Cmd.Result changed = ok(step07("build", "--target", "base", ctx.toString()));
        assertEquals(4, changed.out().split(" ---> Using cache", -1).length - 1, changed.out());

        // the whole file: the second stage copies one file out of the first
        Cmd.Result two = ok(step07("build", "-t", "final", ctx.toString()));
        assertTrue(two.out().contains("Step 19/19 : CMD [\"cat\", \"/copied\"]"), two.out());
        assertEquals("hello from the app\n", ok(step07("run", "--rm", "final")).out());

        Cmd.Result noCache = ok(step07("build", "--no-cache", "-q", "--target", "base", ctx.toString()));
        assertTrue(noCache.out().trim().matches("sha256:[0-9a-f]{64}"), noCache.out());
        assertNotEquals("sha256:" + id, noCache.out().trim());
    }

    @Test
    void onbuildTriggersHealthcheckAnAddedUrlAndTheEscapeDirective() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/files/fetched.txt", x -> {
            byte[] body = "fetched over http\n".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            Files.writeString(ctx.resolve("Dockerfile"), """
                    FROM bb
                    ONBUILD RUN echo triggered > /onbuild
                    HEALTHCHECK --interval=5s --timeout=3s --retries=2 CMD test -f /onbuild
                    """);
            ok(step07("build", "-t", "parent", ctx.toString()));
            JsonNode parent = config("parent");
            assertEquals("[\"RUN echo triggered > /onbuild\"]", parent.get("OnBuild").toString());
            assertEquals("{\"Test\":[\"CMD-SHELL\",\"test -f /onbuild\"],\"Interval\":5000000000,\"Timeout\":3000000000,"
                    + "\"Retries\":2}", parent.get("Healthcheck").toString());

            int port = server.getAddress().getPort();
            Path child = Files.createDirectories(tmp.resolve("child"));
            Files.writeString(child.resolve("Dockerfile"), "# escape=`\nFROM parent\n"
                    + "ADD http://127.0.0.1:" + port + "/files/fetched.txt /fetched/\n"
                    + "ADD --checksum=" + sha256("fetched over http\n") + " http://127.0.0.1:" + port
                    + "/files/fetched.txt /checked.txt\n"
                    + "ENV A=1 B=\"two words\" C=`$A\n"
                    + "ENV D=${A:-x}${UNSET:-dflt}${B:+set} E='$A' F=\"${B}\"\n"
                    + "RUN echo \"$C|$D|$E|$F\" > /env.txt `\n"
                    + "    && stat -c '%a' /fetched/fetched.txt >> /env.txt\n"
                    + "CMD cat /onbuild /fetched/fetched.txt /env.txt\n");
            Cmd.Result r = ok(step07("build", "-t", "kid", child.toString()));
            assertTrue(r.out().contains("# Executing 1 build trigger\n"), r.out());
            assertEquals("triggered\nfetched over http\n$A|1dfltset|$A|two words\n600\n", ok(step07("run", "--rm", "kid")).out());
            assertTrue(config("kid").path("OnBuild").isMissingNode() || config("kid").get("OnBuild").isEmpty(),
                    "triggers are not passed on: " + config("kid"));
            assertTrue(config("kid").get("Healthcheck").toString().contains("CMD-SHELL"), "the healthcheck is");
            assertEquals("fetched over http\n", ok(step07("run", "--rm", "kid", "cat", "/checked.txt")).out());
            Files.writeString(child.resolve("Dockerfile"), "FROM bb\nADD --checksum=" + sha256("something else")
                    + " http://127.0.0.1:" + port + "/files/fetched.txt /\n");
            Cmd.Result mismatch = step07("build", child.toString());
            assertEquals(1, mismatch.exitCode(), mismatch::toString);
            assertTrue(mismatch.err().endsWith("digest mismatch " + sha256("fetched over http\n") + ": "
                    + sha256("something else") + "\n"), mismatch.err());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void pullAlwaysPullsAndCopyFromPullsAnImageTheStoreLacks() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")), null, null)) {
            String base = registry.host() + "/jocker/base:1";
            String tool = registry.host() + "/jocker/tool:1";
            // another data root pushes the base (busybox) and a tool image, then a second base under the same tag
            Path pusher = tmp.resolve("pusher");
            Path pusherCtx = Files.createDirectories(tmp.resolve("pusher-ctx"));
            Path tar = tmp.resolve("busybox.tar");
            ok(Step04Cli.run(STEP07, pusher, "import", tar.toString(), base));
            ok(Step04Cli.run(STEP07, pusher, "push", base));
            Files.writeString(pusherCtx.resolve("Dockerfile"), "FROM " + base + "\nRUN echo tool v1 > /tool\n");
            ok(Step04Cli.run(STEP07, pusher, "build", "-q", "-t", tool, pusherCtx.toString()));
            ok(Step04Cli.run(STEP07, pusher, "push", tool));

            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nCOPY --from=" + tool
                    + " /tool /tool\nCMD cat /tool /marker 2>/dev/null; true\n");
            Cmd.Result first = ok(step07("build", "-t", "app", ctx.toString()));
            assertTrue(first.out().contains("Pulling from " + registry.host() + "/jocker/base"), first.out());
            assertTrue(first.out().contains("Status: Downloaded newer image for " + tool), "COPY --from pulls: " + first.out());
            assertEquals("tool v1\n", ok(step07("run", "--rm", "app")).out());
            String id = imageId("app");

            Files.writeString(pusherCtx.resolve("Dockerfile"), "FROM " + base + "\nRUN echo newer > /marker\n");
            ok(Step04Cli.run(STEP07, pusher, "build", "-q", "-t", base, pusherCtx.toString()));
            ok(Step04Cli.run(STEP07, pusher, "push", base));
            TestRootfs.delete(pusher);

            Cmd.Result cached = ok(step07("build", "-q", "-t", "app", ctx.toString()));
            assertEquals(id, cached.out().trim(), "without --pull the stored base is used: the same image");
            Cmd.Result pulled = ok(step07("build", "--pull", "-t", "app", ctx.toString()));
            assertTrue(pulled.out().contains("Status: Downloaded newer image for " + base), pulled.out());
            assertTrue(pulled.out().contains("Status: Image is up to date for " + tool), pulled.out());
            assertEquals("tool v1\nnewer\n", ok(step07("run", "--rm", "app")).out(), "--pull builds on the newer base");
            assertNotEquals(id, imageId("app"));

            Files.writeString(ctx.resolve("Dockerfile"), "FROM bb\nCMD true\n");
            Cmd.Result local = step07("build", "--pull", ctx.toString());
            assertEquals(1, local.exitCode(), local::toString);
            assertTrue(local.err().endsWith("pull access denied for bb, or it does not exist\n"),
                    "--pull of an image no registry has fails, as in docker: " + local.err());
        }
    }

    @Test
    void aFailingRunStopsTheBuildAndLeavesNothing() throws IOException {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM bb\nRUN echo before\nRUN exit 3\nRUN echo never\n");
        Cmd.Result r = step07("build", ctx.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("before\n"), "RUN's output streams: " + r.out());
        assertTrue(r.err().endsWith("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n"), r.err());
        assertFalse(r.out().contains("never"), r.out());
    }

    @Test
    void badDockerfilesGetDockersOneLineError() throws IOException {
        String[][] cases = {
                {"FROM bb\nFROB x\n", "dockerfile parse error on line 2: unknown instruction: FROB"},
                {"RUN echo\n", "dockerfile parse error on line 1: no build stage in current context"},
                {"FROM bb\nCOPY ../outside /x\n", "COPY failed: file not found in build context or excluded by .dockerignore: stat ../outside: file does not exist"},
                {"FROM bb\nCMD [\"a\"]\nENV\n", "dockerfile parse error on line 3: ENV requires at least one argument"},
        };
        for (String[] c : cases) {
            Files.writeString(ctx.resolve("Dockerfile"), c[0]);
            Cmd.Result r = step07("build", ctx.toString());
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.err().endsWith(c[1] + "\n"), c[0] + " -> " + r.err());
        }
    }
}
