package jocker.volumes;

import jocker.mounts.MountFlags;
import jocker.storage.TarExport;
import jocker.sys.LibC;
import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.Step04Cli;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static jocker.testing.Step04Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real containers with volumes, bind mounts and tmpfs mounts, run by step05 as a user runs it. */
@RootTest
class VolumesTest {
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
        ok(step05("import", "-c", "CMD [\"sh\"]", tar.toString(), "base:1"));
    }

    @AfterEach
    void nothingLeftOnTheHost() throws IOException {
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mounts.contains(root.toString()), "no mount of the store is left on the host: " + mounts);
        TestRootfs.delete(root);
    }

    private Cmd.Result step05(String... args) throws IOException {
        return Step04Cli.run("jocker.volumes.cli.Step05", root, args);
    }

    /** volume SUBCOMMAND ARGS...: --root goes to the subcommand */
    private Cmd.Result volume(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(0, "volume");
        all.add(2, "--root");
        all.add(3, root.toString());
        return Cmd.start("jocker.volumes.cli.Step05", all.toArray(new String[0])).await(Duration.ofMinutes(1));
    }

    private List<String> volumeNames() throws IOException {
        return ok(volume("ls", "-q")).out().lines().toList();
    }

    @Test
    void aNamedVolumeOutlivesItsContainers() throws IOException {
        assertEquals("data\n", ok(volume("create", "data")).out());
        ok(step05("run", "--rm", "-v", "data:/data", "base:1", "sh", "-c", "echo kept > /data/f"));
        assertEquals("kept\n", ok(step05("run", "--rm", "-v", "data:/data", "base:1", "cat", "/data/f")).out());
        assertEquals("kept\n", Files.readString(root.resolve("volumes/data/_data/f")), "the data is in the store");
        assertEquals("DRIVER    VOLUME NAME\nlocal     data\n", ok(volume("ls")).out());
        assertTrue(ok(volume("inspect", "data")).out().contains("\"Mountpoint\": \"" + root + "/volumes/data/_data\""));

        // a kept container that uses it keeps it from being removed, and ls -f dangling says so
        ok(step05("run", "--name", "user", "--mount", "source=data,target=/data", "base:1", "true"));
        Cmd.Result refused = volume("rm", "data");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().matches("Error: remove data: volume is in use - \\[[0-9a-f]{64}]\n"), refused::toString);
        assertEquals("", ok(volume("ls", "-q", "-f", "dangling=true")).out());
        ok(step05("rm", "user"));
        assertEquals("data\n", ok(volume("ls", "-q", "-f", "dangling=true")).out());
        assertEquals("data\n", ok(volume("rm", "data")).out());
        Cmd.Result gone = volume("inspect", "data");
        assertEquals(List.of(1, "[]\n", "Error: No such volume: data\n"), List.of(gone.exitCode(), gone.out(), gone.err()));
    }

    @Test
    void readOnlyIsEnforcedOnTheMountsBelowToo() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host/sub"));
        LibC.mount("tmpfs", host.toString(), "tmpfs", 0, "size=1m");
        try {
            Cmd.Result r = step05("run", "--rm", "-v", host.getParent() + ":/h:ro", "base:1", "sh", "-c",
                    "touch /h/x; touch /h/sub/y; echo done");
            assertEquals("done\n", r.out());
            assertTrue(r.err().contains("touch: /h/x: Read-only file system"), r::toString);
            assertTrue(r.err().contains("touch: /h/sub/y: Read-only file system"), "rro reaches the tmpfs under it: " + r);
            // bind-recursive=writable: the top mount only, as docker did before v25
            Cmd.Result top = step05("run", "--rm", "--mount", "type=bind,src=" + host.getParent() + ",dst=/h,readonly,"
                    + "bind-recursive=writable", "base:1", "sh", "-c", "touch /h/sub/y && echo wrote");
            assertEquals("wrote\n", top.out(), top::toString);
        } finally {
            LibC.umount2(host.toString(), 0);
        }
    }

    @Test
    void propagationBringsTheHostsLaterMountsInOnlyWhenAsked() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        LibC.mount("tmpfs", shared.toString(), "tmpfs", 0, "size=1m");
        try {
            LibC.mount(null, shared.toString(), null, jocker.mounts.MountFlags.MS_SHARED, null);
            Files.createDirectories(shared.resolve("sub"));
            String wait = "echo started; for i in $(seq 100); do [ -e /p/sub/marker ] && echo seen && exit; sleep 0.1; done;"
                    + " echo not seen";
            Cmd slave = Cmd.start("jocker.volumes.cli.Step05", "run", "--root", root.toString(), "--rm",
                    "-v", shared + ":/p:rslave", "base:1", "sh", "-c", wait);
            Cmd private_ = Cmd.start("jocker.volumes.cli.Step05", "run", "--root", root.toString(), "--rm",
                    "-v", shared + ":/p", "base:1", "sh", "-c", wait);
            slave.awaitOutput("started", Duration.ofSeconds(60));
            private_.awaitOutput("started", Duration.ofSeconds(60));
            // mounted on the host after both started: only the rslave mount receives it
            LibC.mount("tmpfs", shared.resolve("sub").toString(), "tmpfs", 0, "size=1m");
            Files.writeString(shared.resolve("sub/marker"), "");
            assertEquals("started\nseen\n", ok(slave.await(Duration.ofSeconds(60))).out());
            assertEquals("started\nnot seen\n", ok(private_.await(Duration.ofSeconds(60))).out(), "rprivate, docker's default");
            LibC.umount2(shared.resolve("sub").toString(), 0);

            // a source on a private mount cannot propagate: docker's error, before anything is made
            LibC.mount(null, shared.toString(), null, jocker.mounts.MountFlags.MS_PRIVATE, null);
            Cmd.Result refused = step05("run", "--rm", "-v", shared + ":/p:rshared", "base:1", "true");
            assertEquals("step05: path " + shared + " is mounted on " + shared + " but it is not a shared mount\n",
                    refused.err());
        } finally {
            try {
                LibC.umount2(shared.resolve("sub").toString(), MountFlags.MNT_DETACH);
            } catch (com.sun.jna.LastErrorException notMounted) {
                // unmounted above already
            }
            LibC.umount2(shared.toString(), MountFlags.MNT_DETACH);
        }
    }

    @Test
    void aTmpfsIsTheContainersOwnAndItsSizeBites() throws IOException {
        Cmd.Result full = step05("run", "--rm", "--tmpfs", "/scratch:size=1m", "base:1", "sh", "-c",
                "grep ' /scratch ' /proc/mounts; dd if=/dev/zero of=/scratch/f bs=1k count=2048");
        assertEquals(1, full.exitCode(), full::toString);
        assertTrue(full.out().matches("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k 0 0\n"), full::toString);
        assertTrue(full.err().contains("No space left on device"), full::toString);
        Cmd.Result mounted = step05("run", "--rm", "--mount", "type=tmpfs,dst=/t,tmpfs-size=512k,tmpfs-mode=1777",
                "base:1", "sh", "-c", "stat -c %a /t; dd if=/dev/zero of=/t/f bs=1k count=1024");
        assertEquals(1, mounted.exitCode());
        assertTrue(mounted.out().equals("1777\n") && mounted.err().contains("No space left on device"), mounted::toString);
        // a volume made as a tmpfs: mounted in the container as mount(8) would, with its o= options
        ok(volume("create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=256k", "ram"));
        Cmd.Result ram = step05("run", "--rm", "-v", "ram:/ram", "base:1", "sh", "-c",
                "dd if=/dev/zero of=/ram/f bs=1k count=512");
        assertTrue(ram.exitCode() == 1 && ram.err().contains("No space left on device"), ram::toString);
        assertEquals(List.of(), List.of(Files.list(root.resolve("volumes/ram/_data")).toArray()), "nothing on the host");
        // the same made by --mount's volume-opt, at first use
        Cmd.Result opt = step05("run", "--rm", "--mount", "type=volume,src=ram2,dst=/r,volume-opt=type=tmpfs,"
                + "volume-opt=device=tmpfs,\"volume-opt=o=size=128k,mode=700\"", "base:1", "sh", "-c",
                "stat -c %a /r; dd if=/dev/zero of=/r/f bs=1k count=256");
        assertTrue(opt.exitCode() == 1 && opt.out().equals("700\n") && opt.err().contains("No space left on device"),
                opt::toString);
        assertTrue(ok(volume("inspect", "ram2")).out().contains("\"o\": \"size=128k,mode=700\""));
    }

    @Test
    void imageVolumesAreAnonymousVolumesFilledFromTheImage() throws IOException {
        ok(step05("run", "--name", "maker", "base:1", "sh", "-c", "mkdir -p /data && echo seed > /data/seed"));
        ok(step05("commit", "-c", "VOLUME /data", "maker", "vol:1"));
        ok(step05("rm", "maker"));

        // --rm: the anonymous volume goes with the container
        assertEquals("seed\n", ok(step05("run", "--rm", "vol:1", "cat", "/data/seed")).out());
        assertEquals(List.of(), volumeNames());

        // kept: the volume stays after rm, and rm -v removes it
        ok(step05("run", "--name", "keeper", "vol:1", "sh", "-c", "echo more > /data/more"));
        List<String> names = volumeNames();
        assertEquals(1, names.size());
        assertTrue(names.get(0).matches("[0-9a-f]{64}"), names::toString);
        Path data = root.resolve("volumes").resolve(names.get(0)).resolve("_data");
        assertEquals("seed\n", Files.readString(data.resolve("seed")));
        assertEquals("more\n", Files.readString(data.resolve("more")));
        assertFalse(ok(step05("diff", "keeper")).out().contains("/data"), "volume data stays out of the layer");

        // --volumes-from: the same volume, read-only if asked
        Cmd.Result from = step05("run", "--rm", "--volumes-from", "keeper:ro", "base:1", "sh", "-c",
                "cat /data/more; touch /data/x");
        assertEquals("more\n", from.out());
        assertTrue(from.err().contains("Read-only file system"), from::toString);

        ok(step05("rm", "-v", "keeper"));
        assertEquals(List.of(), volumeNames());
    }

    @Test
    void anEmptyNamedVolumeIsFilledAFullOneIsNotNocopyNeither() throws IOException {
        // the image has /etc/passwd; an empty volume on /etc gets the image's /etc
        assertEquals("yes\n", ok(step05("run", "--rm", "-v", "etc1:/etc", "base:1", "sh", "-c",
                "test -f /etc/passwd && echo yes")).out());
        assertTrue(Files.isRegularFile(root.resolve("volumes/etc1/_data/passwd")));
        ok(volume("create", "full"));
        Files.writeString(root.resolve("volumes/full/_data/mine"), "mine\n");
        assertEquals("mine\n", ok(step05("run", "--rm", "-v", "full:/etc", "base:1", "ls", "/etc")).out());
        assertEquals("", ok(step05("run", "--rm", "-v", "bare:/etc:nocopy", "base:1", "ls", "/etc")).out());
        // an unused anonymous volume is pruned; named ones only with -a
        ok(volume("create", "left"));
        assertTrue(ok(volume("prune", "-f", "-a")).out().contains("Deleted Volumes:\n"));
        assertEquals(List.of(), volumeNames());
    }

    @Test
    void aSymlinkInTheImageCannotSendAMountOutOfTheRoot() throws IOException {
        Path rootfs = TestRootfs.copy(Files.createDirectories(tmp.resolve("evil")));
        Files.createSymbolicLink(rootfs.resolve("data"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../../../etc"));
        ok(step05("import", rootfs.toString(), "evil:1"));
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("marker"), "from the volume\n");
        String hostMounts = Files.readString(Path.of("/proc/self/mountinfo"));
        for (String target : List.of("/data", "/up")) {
            Cmd.Result r = ok(step05("run", "--rm", "-v", site + ":" + target + ":ro", "evil:1", "cat", "/etc/marker"));
            assertEquals("from the volume\n", r.out(), "the mount lands on the container's own /etc");
        }
        assertEquals(hostMounts, Files.readString(Path.of("/proc/self/mountinfo")), "the host's /etc was not touched");
        assertFalse(Files.exists(Path.of("/etc/marker")));
        TestRootfs.delete(rootfs.getParent());
    }

    @Test
    void aKilledRunsVolumesAreFreedByTheNextCommand() throws Exception {
        ok(volume("create", "held"));
        Cmd run = Cmd.start("jocker.volumes.cli.Step05", "run", "--root", root.toString(), "--rm", "-v", "held:/h",
                "-v", "/anon", "base:1", "sh", "-c", "echo started; exec sleep 60");
        run.awaitOutput("started", Duration.ofSeconds(60));
        assertEquals(2, volumeNames().size());
        // the container's processes and the run, all SIGKILLed: nothing of theirs gets to clean up
        long init = new com.fasterxml.jackson.databind.ObjectMapper().readTree(root.resolve("containers")
                .resolve(onlyContainer()).resolve("container.json").toFile()).get("ownerPid").asLong();
        assertTrue(init > 0);
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
        run.signal("KILL");
        run.await(Duration.ofSeconds(30));
        assertEquals("held\n", ok(volume("rm", "held")).out(), "the next command collected the dead --rm container");
        assertEquals(List.of(), volumeNames(), "and its anonymous volume");
    }

    private String onlyContainer() throws IOException {
        try (var dirs = Files.list(root.resolve("containers"))) {
            List<String> ids = dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
            assertEquals(1, ids.size(), ids::toString);
            return ids.get(0);
        }
    }

    @Test
    void badFlagsAreOneLineAndLeaveNothing() throws IOException {
        ok(step05("run", "--rm", "-v", tmp + "/made/here:/m", "base:1", "touch", "/m/f"));
        assertTrue(Files.isRegularFile(tmp.resolve("made/here/f")), "-v makes a missing host directory, as docker's does");
        Cmd.Result dup = step05("run", "--rm", "-v", "aa:/d", "--tmpfs", "/d", "base:1", "true");
        assertEquals(List.of(125, "step05: Duplicate mount point: /d\n"), List.of(dup.exitCode(), dup.err()));
        Cmd.Result missing = step05("run", "--rm", "--mount", "type=bind,src=" + tmp + "/none,dst=/x", "base:1", "true");
        assertEquals("step05: invalid mount config for type \"bind\": bind source path does not exist: " + tmp + "/none\n",
                missing.err());
        Cmd.Result rootfs = step05("run", "--rootfs", TestRootfs.busybox().toString(), "-v", "vv:/v", "true");
        assertTrue(rootfs.err().contains("a volume needs a container kept in the store"), rootfs::toString);
        Cmd.Result bad = volume("create", "-o", "size=1m", "x1");
        assertEquals(List.of(1, "Error: quota size requested but no quota support\n"), List.of(bad.exitCode(), bad.err()));
        assertEquals(List.of(), volumeNames());
        assertEquals("", ok(step05("ps")).out().lines().skip(1).reduce("", String::concat), "no container left");
    }
}
