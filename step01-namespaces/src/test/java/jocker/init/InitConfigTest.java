package jocker.init;

import jocker.capabilities.CapabilitySets;
import jocker.mounts.RootfsConfig;
import jocker.process.ProcessConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InitConfigTest {
    static InitConfig sample() {
        RootfsConfig rootfs = new RootfsConfig("/var/lib/rootfs ünïcode", true,
                List.of(new RootfsConfig.Entry("proc", "/proc", "proc", 14, 0, null),
                        new RootfsConfig.Entry(null, "/x", "tmpfs", 0, 1L << 18, "mode=755")),
                List.of("/proc/kcore"), List.of("/proc/sys"));
        ProcessConfig process = new ProcessConfig(List.of("sh", "-c", "echo \"$X\""), List.of("X=1", "Y="), "/tmp",
                1000, 100, List.of(10, 29), 027, new CapabilitySets(-1L, 0xa80425fbL, 0, 1L << 40, 5), true,
                List.of(new ProcessConfig.Limit(7, 1024, -1)));
        return new InitConfig(null, 0x02000000, rootfs, process);
    }

    @Test
    void survivesTheTripThroughThePipe() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sample().write(new DataOutputStream(bytes));
        InitConfig back = InitConfig.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(sample(), back);
    }

    @Test
    void aRootMountDevicesAndSysctlsTravelToo() throws IOException {
        InitConfig s = sample();
        RootfsConfig withRoot = new RootfsConfig(s.rootfs().path(), false,
                new RootfsConfig.Entry("overlay", "/", "overlay", 0, 0, "lowerdir=l/A:l/B"), "/var/lib/jocker/layers",
                s.rootfs().mounts(), s.rootfs().maskedPaths(), s.rootfs().readonlyPaths(),
                List.of(new RootfsConfig.DeviceNode("/dev/fuse", 'c', 10, 229, 0620, 1, 2)),
                List.of("net.ipv4.ip_forward=1"), 1L << 20, false);
        InitConfig config = new InitConfig("h", 0, withRoot, s.process());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        config.write(new DataOutputStream(bytes));
        assertEquals(config, InitConfig.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    }

    @Test
    void theOtherModesTravelToo() throws IOException {
        InitConfig s = sample().waitingIn("/run/jocker/runtime/x").withConsole().withSeccomp(new byte[] {6, 0, 0, 0, 0, 0, 0x7f, 0x7f});
        InitConfig exec = InitConfig.entering(4242, s.process(), true);
        for (InitConfig config : List.of(s, exec)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            config.write(new DataOutputStream(bytes));
            InitConfig back = InitConfig.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(config.stateDir(), back.stateDir());
            assertEquals(config.dieWithParent(), back.dieWithParent());
            assertEquals(config.enterPid(), back.enterPid());
            assertEquals(config.console(), back.console());
            assertArrayEquals(config.seccomp(), back.seccomp());
            assertEquals(config.process(), back.process());
        }
    }

    @Test
    void aTruncatedConfigIsAnEndOfFile() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sample().write(new DataOutputStream(bytes));
        byte[] half = Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        assertThrows(EOFException.class,
                () -> InitConfig.read(new DataInputStream(new ByteArrayInputStream(half))));
    }
}
