package jocker;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RootTest
class DoctorTest {

    @Test
    void aGoodHostPassesEveryCheckIncludingARealContainer() throws IOException {
        Cmd.Result r = Cmd.run("jocker.cli.Main", "doctor");
        assertEquals(0, r.exitCode(), r::toString);
        for (String check : List.of("privileges", "namespaces", "kernel", "mount propagation", "cgroups", "busybox")) {
            assertTrue(r.out().contains("] " + check + ": "), check + " missing:\n" + r.out());
        }
        assertTrue(r.out().contains("[ ok ] container: a test container ran"), r::toString);
        assertTrue(!r.out().contains("FAIL"), r::toString);
    }

    @Test
    void pivotRootWorksWhenTheHostsRootIsShared() throws IOException {
        // unshare(1) here only prepares the test's host: a mount namespace whose / is shared
        Cmd cmd = Cmd.startWrapped(List.of("unshare", "--mount", "--propagation", "shared", "--"),
                "jocker.cli.Main", "run", "--rootfs", TestRootfs.busybox().toString(), "--",
                "sh", "-c", "echo $$; awk '$5 == \"/\"' /proc/self/mountinfo | wc -l");
        Cmd.Result r = cmd.await(Duration.ofMinutes(1));
        // PID 1, and one mount at /: the rootfs, with the old root gone
        assertEquals("1\n1\n", r.out(), r::toString);
    }
}
