package jocker;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a process sees inside a step 1 container, checked from inside it. */
@RootTest
class ContainerIsolationTest {

    static Cmd.Result run(String... argsAfterRootfs) throws IOException {
        String[] args = new String[argsAfterRootfs.length + 3];
        args[0] = "run";
        args[1] = "--rootfs";
        args[2] = TestRootfs.busybox().toString();
        System.arraycopy(argsAfterRootfs, 0, args, 3, argsAfterRootfs.length);
        return Cmd.run("jocker.cli.Main", args);
    }

    static Cmd.Result sh(String script) throws IOException {
        return run("--", "/bin/sh", "-c", script);
    }

    @Test
    void theCommandIsPidOne() throws IOException {
        Cmd.Result r = sh("echo $$");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("1\n", r.out());
    }

    @Test
    void psListsOnlyTheContainersProcesses() throws IOException {
        Cmd.Result r = sh("ps -o pid,comm; exit 0"); // "; exit" keeps sh from exec'ing ps in its place
        // ps is not PID 2: the init JVM's threads had taken the first PIDs of the namespace
        assertTrue(r.out().matches("PID   COMMAND\n    1 sh\n +\\d+ ps\n"), r::toString);
    }

    @Test
    void hostnameIsTheOneAskedFor() throws IOException {
        Cmd.Result r = run("--hostname", "box", "--", "hostname");
        assertEquals("box\n", r.out(), r::toString);
    }

    @Test
    void defaultHostnameIsTheShortContainerId() throws IOException {
        Cmd.Result r = sh("hostname; echo $HOSTNAME");
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("[0-9a-f]{12}"), r::toString);
        assertEquals(lines.get(0), lines.get(1), "HOSTNAME env matches the hostname");
    }

    @Test
    void networkHasOnlyLoopback() throws IOException {
        Cmd.Result r = sh("ip -o link | cut -d: -f2");
        assertEquals(" lo\n", r.out(), r::toString);
    }

    @Test
    void onlyStdinStdoutAndStderrAreOpen() throws IOException {
        // ls is PID 1 itself: the fds it inherited from the init JVM, plus its own for the listing
        Cmd.Result r = run("--", "ls", "/proc/self/fd");
        assertEquals("0\n1\n2\n3\n", r.out(), r::toString);
    }

    @Test
    void capabilitiesAreDockersDefaultLessMknod() throws IOException {
        // docker's 0xa80425fb without CAP_MKNOD (bit 27): step 1 has no device cgroup to stop a disk node
        Cmd.Result r = sh("grep -E '^Cap(Eff|Bnd|Prm|Amb)' /proc/1/status");
        assertEquals("""
                CapPrm:\t00000000a00425fb
                CapEff:\t00000000a00425fb
                CapBnd:\t00000000a00425fb
                CapAmb:\t0000000000000000
                """, r.out(), r::toString);
    }

    @Test
    void noDeviceNodeCanBeMadeNotEvenOfTheHostsLoopDisk() throws IOException {
        Cmd.Result r = sh("mknod /tmp/loop0 b 7 0 || echo refused; ls /tmp/loop0 2>&1 | grep -c 'No such'");
        assertEquals("refused\n1\n", r.out(), r::toString);
        assertTrue(r.err().contains("Operation not permitted"), r::toString);
    }

    @Test
    void aNonRootUserHasNoEffectiveCapabilities() throws IOException {
        Cmd.Result r = run("-u", "nobody", "--", "grep", "CapEff", "/proc/self/status");
        assertEquals("CapEff:\t0000000000000000\n", r.out(), r::toString);
    }

    @Test
    void maskedPathsAreEmpty() throws IOException {
        // /proc/kcore, /proc/sched_debug ... exist only on some kernels: these exist here
        Cmd.Result r = sh("cat /proc/keys | wc -c; cat /proc/timer_list | wc -c; ls -A /sys/firmware | wc -l;"
                + " grep -c ' /proc/keys ' /proc/self/mountinfo");
        assertEquals("0\n0\n0\n1\n", r.out(), r::toString);
    }

    @Test
    void procSysIsReadOnly() throws IOException {
        Cmd.Result r = sh("echo other > /proc/sys/kernel/hostname");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("Read-only file system"), r::toString);
    }

    @Test
    void sysIsReadOnly() throws IOException {
        Cmd.Result r = sh("touch /sys/x");
        assertTrue(r.err().contains("Read-only file system"), r::toString);
    }

    @Test
    void devHoldsTheUsualDevices() throws IOException {
        Cmd.Result r = sh("cd /dev && stat -c '%A %t,%T %n' null zero full random urandom tty;"
                + " readlink ptmx; readlink fd; readlink stdin; echo hi > /dev/null && head -c 4 /dev/zero | wc -c");
        assertEquals("""
                crw-rw-rw- 1,3 null
                crw-rw-rw- 1,5 zero
                crw-rw-rw- 1,7 full
                crw-rw-rw- 1,8 random
                crw-rw-rw- 1,9 urandom
                crw-rw-rw- 5,0 tty
                pts/ptmx
                /proc/self/fd
                /proc/self/fd/0
                4
                """, r.out(), r::toString);
    }

    @Test
    void devPtsAndShmAreMounted() throws IOException {
        Cmd.Result r = sh("grep -E ' /dev/(pts|shm|mqueue) ' /proc/self/mountinfo | sed 's/.* - //' | cut -d' ' -f1");
        assertEquals("devpts\nmqueue\ntmpfs\n", r.out(), r::toString);
    }

    @Test
    void environmentWorkdirAndUserAreAsAsked() throws IOException {
        Cmd.Result r = run("-e", "GREETING=hello", "-w", "/tmp/work", "-u", "nobody:nogroup", "--",
                "/bin/sh", "-c", "echo $GREETING; pwd; id; echo $HOME");
        assertEquals("hello\n/tmp/work\nuid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n/home\n", r.out(), r::toString);
    }

    @Test
    void rootGetsItsSupplementaryGroupsFromTheRootfs() throws IOException {
        Cmd.Result r = run("--", "id");
        assertEquals("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n", r.out(), r::toString);
    }

    @Test
    void environmentIsDockers() throws IOException {
        Cmd.Result r = run("-h", "box", "-e", "A=1", "--", "env");
        assertEquals("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=box\nA=1\nHOME=/root\n",
                r.out(), r::toString);
    }

    @Test
    void readOnlyRootRefusesWrites() throws IOException {
        Cmd.Result r = run("--read-only", "--", "/bin/sh", "-c", "touch /x; echo ok > /dev/shm/y && cat /dev/shm/y");
        assertTrue(r.err().contains("Read-only file system"), r::toString);
        assertEquals("ok\n", r.out(), "tmpfs mounts stay writable");
    }

    @Test
    void cgroupFilesystemIsTheContainersOwnAndReadOnly() throws IOException {
        Cmd.Result r = sh("cat /proc/self/cgroup | grep -c ':/$'; grep -c ' /sys/fs/cgroup/' /proc/self/mountinfo;"
                + " mkdir /sys/fs/cgroup/x");
        List<String> lines = r.out().lines().toList();
        assertTrue(Integer.parseInt(lines.get(0)) > 0, "the cgroup namespace roots the view: " + r);
        assertTrue(Integer.parseInt(lines.get(1)) > 0, "hierarchies mounted: " + r);
        assertTrue(r.err().contains("Read-only file system"), r::toString);
    }
}
