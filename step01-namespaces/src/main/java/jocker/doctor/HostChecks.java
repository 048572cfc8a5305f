package jocker.doctor;

import jocker.sys.Fd;
import jocker.sys.FileTree;
import com.sun.jna.LastErrorException;
import jocker.mounts.InRoot;
import jocker.namespaces.Namespace;
import jocker.rootfs.BusyboxRootfs;
import jocker.rootfs.Elf;
import jocker.runtime.Container;
import jocker.runtime.ContainerIds;
import jocker.runtime.ContainerResult;
import jocker.runtime.Lifecycle;
import jocker.runtime.StateStore;
import jocker.runtime.Stdio;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host checks of step 1. Each probes the real thing rather than guessing from versions. */
final class HostChecks {
    private HostChecks() {}

    private static final int CAP_SYS_ADMIN = 21;
    private static final long CGROUP2_SUPER_MAGIC = 0x63677270L;

    static Check.Result privileges() {
        long capEff = capEff();
        boolean sysAdmin = (capEff & (1L << CAP_SYS_ADMIN)) != 0;
        if (sysAdmin) {
            return Check.Result.ok("privileges", "CAP_SYS_ADMIN present (uid " + uid() + ")");
        }
        return Check.Result.fail("privileges", "no CAP_SYS_ADMIN: namespaces, mounts and pivot_root need it",
                "run as root (sudo bin/step01 ...)");
    }

    static Check.Result namespaces() {
        List<String> ok = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Namespace ns : Namespace.values()) {
            if (ns == Namespace.USER) {
                continue;
            }
            String error = probeUnshare(ns.cloneFlag());
            if (error == null) {
                ok.add(ns.ociName());
            } else {
                failed.add(ns.ociName() + " (" + error + ")");
            }
        }
        if (failed.isEmpty()) {
            return Check.Result.ok("namespaces", String.join(" ", ok));
        }
        return Check.Result.fail("namespaces", "cannot create " + String.join(", ", failed),
                "run as root on a kernel with CONFIG_NAMESPACES (and not inside a container that forbids unshare)");
    }

    /** unshare(2) on a throwaway thread: its namespaces vanish with it. */
    private static String probeUnshare(int flag) {
        String[] error = new String[1];
        Thread probe = new Thread(() -> {
            try {
                LibC.unshare(flag);
            } catch (LastErrorException e) {
                error[0] = LibC.strerror(e.getErrorCode());
            }
        }, "doctor-unshare-probe");
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return error[0];
    }

    static Check.Result kernelCalls() {
        // openat2 (Linux 5.6): resolving paths inside a rootfs safely
        try {
            int root = InRoot.openRoot("/");
            InRoot.closeQuietly(InRoot.open(root, "/proc", Fd.O_PATH, 0));
            InRoot.closeQuietly(root);
        } catch (SysException e) {
            return Check.Result.fail("kernel", "openat2(2) unavailable: " + e.getMessage(), "use Linux 5.11 or newer");
        }
        // close_range with CLOSE_RANGE_CLOEXEC (Linux 5.11): no fd leaks into the container
        try {
            LibC.close_range(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 1 << 2);
        } catch (LastErrorException e) {
            return Check.Result.fail("kernel", "close_range(CLOSE_RANGE_CLOEXEC) unavailable: "
                    + LibC.strerror(e.getErrorCode()), "use Linux 5.11 or newer");
        }
        return Check.Result.ok("kernel", "openat2 and close_range(CLOSE_RANGE_CLOEXEC) available");
    }

    static Check.Result mountPropagation() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 6 && f[4].equals("/")) {
                    boolean shared = line.substring(0, line.indexOf(" - ")).contains(" shared:");
                    return Check.Result.info("mount propagation", shared
                            ? "/ is shared: each container makes its copy private before pivot_root"
                            : "/ is private");
                }
            }
        } catch (IOException e) {
            return Check.Result.fail("mount propagation", "cannot read /proc/self/mountinfo: " + e.getMessage(), null);
        }
        return Check.Result.warn("mount propagation", "no / entry in /proc/self/mountinfo", null);
    }

    /**
     * The proof of all the above: a throwaway container, in a rootfs holding
     * only busybox, runs `busybox true` (new namespaces, private mounts,
     * pivot_root, capabilities, execve).
     */
    static Check.Result container() {
        if (!Files.isRegularFile(BusyboxRootfs.DEFAULT_BUSYBOX)) {
            return Check.Result.info("container", "not tried: it needs " + BusyboxRootfs.DEFAULT_BUSYBOX);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jocker-doctor");
            Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
            Files.copy(BusyboxRootfs.DEFAULT_BUSYBOX, rootfs.resolve("busybox"));
            Spec spec = SpecBuilder.docker(dir.resolve("rootfs").toString(), List.of("/bin/busybox", "true")).build();
            ContainerResult r = new Lifecycle(new StateStore(dir.resolve("state")), List.of()).run(new Container(ContainerIds.random(), spec, dir),
                    Stdio.toFiles(dir.resolve("out"), dir.resolve("err")));
            if (r.exitCode() == 0) {
                return Check.Result.ok("container", "a test container ran (namespaces, pivot_root, execve)");
            }
            String why = r.error() != null ? r.error() : "exit " + r.exitCode() + ": " + Files.readString(dir.resolve("err")).strip();
            return Check.Result.fail("container", "a test container failed: " + why, "see the lines above");
        } catch (IOException | RuntimeException e) {
            return Check.Result.fail("container", "a test container could not start: " + e.getMessage(), "see the lines above");
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            FileTree.delete(dir);
        } catch (IOException ignored) {
            // a leftover directory in /tmp is harmless
        }
    }

    static Check.Result cgroupVersion() {
        return Check.Result.info("cgroups", describeCgroups());
    }

    static String describeCgroups() {
        if (fsType("/sys/fs/cgroup") == CGROUP2_SUPER_MAGIC) {
            return "v2 (unified hierarchy at /sys/fs/cgroup)";
        }
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/unified"))
                && fsType("/sys/fs/cgroup/unified") == CGROUP2_SUPER_MAGIC) {
            return "hybrid (v1 controllers under /sys/fs/cgroup, cgroup2 at /sys/fs/cgroup/unified)";
        }
        return "v1 (a hierarchy per controller under /sys/fs/cgroup)";
    }

    static Check.Result busybox() {
        Path busybox = BusyboxRootfs.DEFAULT_BUSYBOX;
        if (!Files.isRegularFile(busybox)) {
            return Check.Result.fail("busybox", busybox + " not found: the default rootfs is made from it",
                    "apt-get install busybox-static");
        }
        try {
            if (!Elf.isStatic(busybox)) {
                return Check.Result.fail("busybox", busybox + " is dynamically linked", "apt-get install busybox-static");
            }
        } catch (IOException e) {
            return Check.Result.fail("busybox", e.getMessage(), "apt-get install busybox-static");
        }
        return Check.Result.ok("busybox", busybox + " is statically linked");
    }

    private static long fsType(String path) {
        long[] stat = new long[15];
        try {
            LibC.statfs(path, stat);
            return stat[0];
        } catch (LastErrorException e) {
            return -1;
        }
    }

    private static long capEff() {
        return statusField("CapEff:", 16);
    }

    private static long uid() {
        return statusField("Uid:", 10);
    }

    private static long statusField(String field, int radix) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0], radix);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        return 0;
    }
}
