package jocker;

import jocker.layers.Whiteouts;
import jocker.testing.Cmd;
import jocker.testing.HostState;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copy-on-write roots from layers, through step03's command line, on the real kernel. */
@RootTest
class UnionFsTest {
    @TempDir
    Path tmp;
    Path root;
    String base;

    @BeforeEach
    void storeTheBusyboxLayer() throws IOException {
        root = tmp.resolve("root");
        base = storeBusybox(root);
    }

    /** Stores the test busybox rootfs as a layer in a data root; returns its id. */
    static String storeBusybox(Path root) throws IOException {
        Cmd.Result r = step03("layer", "add", "--root", root.toString(), TestRootfs.busybox().toString());
        assertEquals(0, r.exitCode(), r::toString);
        return r.out().trim();
    }

    @AfterEach
    void nothingOfTheStoreIsMounted() throws IOException {
        assertEquals(List.of(), HostState.mountsMentioning(root.toString()));
        TestRootfs.delete(root); // busybox's symlinks point outside the temp dir
    }

    static Cmd.Result step03(String... args) throws IOException {
        return Cmd.start("jocker.storage.cli.Step03", args).await(Duration.ofMinutes(2));
    }

    private Cmd.Result run(String... argsAfterRoot) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--root", root.toString()));
        args.addAll(List.of(argsAfterRoot));
        return step03(args.toArray(new String[0]));
    }

    private Path layerDiff() {
        return root.resolve("layers").resolve(base).resolve("diff");
    }

    private Path upperOf(String name) throws IOException {
        String id = step03("ps", "--root", root.toString()).out().lines()
                .filter(l -> l.contains(" " + name + " ")).findFirst().orElseThrow().substring(0, 12);
        try (Stream<Path> dirs = Files.list(root.resolve("containers"))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(id)).findFirst().orElseThrow().resolve("upper");
        }
    }

    @Test
    void twoContainersOnOneLowerLayerSeeOnlyTheirOwnWrites() throws IOException {
        Cmd.Result a = run("--layer", base, "--name", "ca", "--", "sh", "-c", "echo from-a > /tmp/same; cat /tmp/same");
        Cmd.Result b = run("--layer", base, "--name", "cb", "--", "sh", "-c", "cat /tmp/same 2>&1; echo from-b > /tmp/same; cat /tmp/same");
        assertEquals("from-a\n", a.out(), a::toString);
        assertEquals("cat: can't open '/tmp/same': No such file or directory\nfrom-b\n", b.out(), b::toString);
        assertEquals("from-a\n", Files.readString(upperOf("ca").resolve("tmp/same")));
        assertEquals("from-b\n", Files.readString(upperOf("cb").resolve("tmp/same")));
        assertFalse(Files.exists(layerDiff().resolve("tmp/same")), "the lower layer is unchanged");
    }

    @Test
    void deletingALowerFileHidesItWithAWhiteoutAndLeavesItOnDisk() throws IOException {
        Cmd.Result r = run("--layer", base, "--name", "del", "--", "sh", "-c", "rm /etc/group; ls /etc/group 2>&1");
        assertTrue(r.out().contains("No such file or directory"), r::toString);
        assertTrue(Files.exists(layerDiff().resolve("etc/group")), "still in the layer");
        Path whiteout = upperOf("del").resolve("etc/group");
        assertTrue(Whiteouts.isWhiteout(whiteout), "a character device 0/0 in the upper layer");
    }

    @Test
    void diffListsAddsChangesAndDeletesAsDockerDoes() throws IOException {
        run("--layer", base, "--name", "dif", "--", "sh", "-c",
                "echo new > /tmp/added; echo changed >> /etc/passwd; rm /etc/group; rm -r /home; mkdir -p /srv/x; touch /srv/x/y");
        Cmd.Result diff = step03("diff", "--root", root.toString(), "dif");
        assertEquals("""
                C /etc
                D /etc/group
                C /etc/passwd
                D /home
                A /srv
                A /srv/x
                A /srv/x/y
                C /tmp
                A /tmp/added
                """, diff.out(), diff::toString);
    }

    @Test
    void anOpaqueDirectoryHidesEverythingBelowIt() throws IOException {
        Path data = tmp.resolve("data-layer");
        Files.createDirectories(data.resolve("data"));
        Files.writeString(data.resolve("data/a"), "a");
        Files.writeString(data.resolve("data/b"), "b");
        String dataLayer = step03("layer", "add", "--root", root.toString(), data.toString()).out().trim();
        Cmd.Result r = run("--layer", base, "--layer", dataLayer, "--name", "opq", "--", "sh", "-c",
                "ls /data; rm -r /data; mkdir /data; touch /data/c; ls /data");
        assertEquals("a\nb\nc\n", r.out(), r::toString);
        assertTrue(Whiteouts.isOpaque(upperOf("opq").resolve("data")), "trusted.overlay.opaque=y");
        assertEquals("D /data\nA /data/c\n", step03("diff", "--root", root.toString(), "opq").out());
    }

    @Test
    void aHundredLayersMount() throws IOException {
        List<String> args = new ArrayList<>(List.of("--layer", base));
        for (int i = 1; i <= 100; i++) {
            Path layer = Files.createDirectories(tmp.resolve("layer" + i).resolve("layers"));
            Files.writeString(layer.resolve(Integer.toString(i)), "layer " + i);
            args.add("--layer");
            args.add(tmp.resolve("layer" + i).toString());
        }
        args.addAll(List.of("--rm", "--", "sh", "-c", "ls /layers | wc -l; cat /layers/1 /layers/100"));
        Cmd.Result r = run(args.toArray(new String[0]));
        assertEquals("100\nlayer 1layer 100", r.out(), r::toString);
    }

    @Test
    void readOnlyRefusesWrites() throws IOException {
        Cmd.Result r = run("--layer", base, "--rm", "--read-only", "--", "touch", "/x");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("Read-only file system"), r::toString);
    }

    @Test
    void exportWritesExactlyTheMergedView() throws IOException {
        run("--layer", base, "--name", "exp", "--", "sh", "-c", "echo hi > /tmp/hi; rm /etc/group; mkdir /srv; touch /srv/s");
        Path tar = tmp.resolve("e.tar");
        Cmd.Result r = step03("export", "--root", root.toString(), "exp", "-o", tar.toString());
        assertEquals(0, r.exitCode(), r::toString);
        TreeSet<String> expected = new TreeSet<>();
        try (Stream<Path> all = Files.walk(layerDiff())) {
            all.filter(p -> !p.equals(layerDiff())).forEach(p ->
                    expected.add(layerDiff().relativize(p) + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "")));
        }
        expected.remove("etc/group");
        expected.addAll(List.of("tmp/hi", "srv/", "srv/s"));
        assertEquals(expected, tarNames(tar));
    }

    @Test
    void vfsAndOverlayGiveTheSameView() throws IOException {
        String script = "echo hi > /tmp/hi; rm /etc/group; rm -r /home; mkdir -p /srv/x; ln -s /srv/x /srv/link";
        run("--layer", base, "--name", "ov", "--storage-driver", "overlay", "--", "sh", "-c", script);
        run("--layer", base, "--name", "vf", "--storage-driver", "vfs", "--", "sh", "-c", script);
        assertEquals(step03("diff", "--root", root.toString(), "ov").out(), step03("diff", "--root", root.toString(), "vf").out());
        step03("export", "--root", root.toString(), "ov", "-o", tmp.resolve("ov.tar").toString());
        step03("export", "--root", root.toString(), "vf", "-o", tmp.resolve("vf.tar").toString());
        assertEquals(tarNames(tmp.resolve("ov.tar")), tarNames(tmp.resolve("vf.tar")));
        Cmd.Result inside = run("--layer", base, "--rm", "--storage-driver", "vfs", "--", "sh", "-c", "ls /home; id");
        assertEquals("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n", inside.out(), "a fresh vfs root is the layer again");
    }

    @Test
    void nothingIsLeftWhenStep03IsKilledMidRun() throws Exception {
        Cmd cmd = Cmd.start("jocker.storage.cli.Step03", "run", "--root", root.toString(), "--layer", base, "--rm", "--",
                "sh", "-c", "echo up; sleep 100");
        cmd.awaitOutput("up", Duration.ofSeconds(30));
        cmd.signal("KILL");
        cmd.await(Duration.ofSeconds(30));
        assertEquals(List.of(), HostState.mountsMentioning(root.toString()), "the overlay lived in the container's namespace");
        // the container died with its parent (PR_SET_PDEATHSIG); the next command tidies the store
        Thread.sleep(200);
        Cmd.Result ps = step03("ps", "--root", root.toString());
        assertEquals(1, ps.out().lines().count(), "only the header: the --rm container's layer is gone\n" + ps.out());
        try (Stream<Path> left = Files.list(root.resolve("containers"))) {
            assertEquals(0, left.count());
        }
        assertEquals(List.of(), jocker.cgroups.CgroupDriver.detect().leftovers(), "its cgroups went too");
        assertEquals(List.of(), HostState.processesMentioning("sleep 100"));
    }

    @Test
    void badInputIsOneLine() throws IOException {
        assertEquals("step03: no such layer: cafebabe\n", run("--layer", "cafebabe", "--", "true").err());
        assertEquals("step03: --layer cannot be combined with --rootfs or --bundle\n",
                run("--layer", base, "--rootfs", "/", "--", "true").err());
        assertEquals("step03: unknown storage driver \"zfs\" (overlay or vfs)\n",
                run("--layer", base, "--storage-driver", "zfs", "--", "true").err());
        assertEquals("step03: invalid container name \"-x\": two or more of [a-zA-Z0-9_.-], the first a letter or digit"
                + " (docker's rule)\n",
                run("--layer", base, "--name", "-x", "--", "true").err());
        run("--layer", base, "--name", "taken", "--", "true");
        assertTrue(run("--layer", base, "--name", "taken", "--", "true").err()
                .startsWith("step03: the container name \"/taken\" is already in use by container "));
        assertEquals("step03: No such container: nope\n", step03("diff", "--root", root.toString(), "nope").err());
    }

    static TreeSet<String> tarNames(Path tar) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
