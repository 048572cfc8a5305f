package jocker;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** step01's exit code is the container's, or docker's 125/126/127 when it cannot start. */
@RootTest
class ExitCodesTest {
    private static final String MAIN = "jocker.cli.Main";

    private static String rootfs() {
        return TestRootfs.busybox().toString();
    }

    @Test
    void exitCodeIsTheProcesses() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c", "exit 3");
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void aCommandThatDoesNotExistGives127AndNamesIt() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "no-such-command");
        assertEquals(127, r.exitCode(), r::toString);
        assertEquals("step01: exec: \"no-such-command\": executable file not found in $PATH\n", r.err());
    }

    @Test
    void aMissingPathGives127() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "/no/such");
        assertEquals(127, r.exitCode(), r::toString);
        assertEquals("step01: exec: \"/no/such\": stat /no/such: no such file or directory\n", r.err());
    }

    @Test
    void aFileThatCannotBeExecutedGives126() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "/etc/passwd");
        assertEquals(126, r.exitCode(), r::toString);
        assertEquals("step01: exec: \"/etc/passwd\": permission denied\n", r.err());
    }

    @Test
    void aMissingRootfsGives125AndOneLine() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", "/no/such/rootfs", "--", "true");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: rootfs /no/such/rootfs: no such directory\n", r.err());
    }

    @Test
    void aBadFlagGives125AndOneLine() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--no-such-flag", "--", "true");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: Unknown option: '--no-such-flag' (see 'step01 run --help')\n", r.err());
    }

    @Test
    void anUnknownUserGives125() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "-u", "nosuchuser", "--", "true");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: unable to find user nosuchuser: no matching entries in passwd file\n", r.err());
    }

    @Test
    void sigtermToStep01ReachesTheContainer() throws Exception {
        Cmd cmd = Cmd.start(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c",
                "trap 'echo got TERM; exit 42' TERM; echo ready; while true; do sleep 0.05; done");
        cmd.awaitOutput("ready", Duration.ofSeconds(30));
        cmd.signal("TERM");
        Cmd.Result r = cmd.await(Duration.ofSeconds(30));
        assertEquals(42, r.exitCode(), r::toString);
        assertTrue(r.out().contains("got TERM"), r::toString);
    }

    @Test
    void sigintToStep01ReachesTheContainer() throws Exception {
        Cmd cmd = Cmd.start(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c",
                "trap 'echo got INT; exit 7' INT; echo ready; while true; do sleep 0.05; done");
        cmd.awaitOutput("ready", Duration.ofSeconds(30));
        cmd.signal("INT");
        Cmd.Result r = cmd.await(Duration.ofSeconds(30));
        assertEquals(7, r.exitCode(), r::toString);
        assertTrue(r.out().contains("got INT"), r::toString);
    }

    @Test
    void aProcessKilledBySignalGives128PlusTheSignal() throws Exception {
        // PID 1 ignores signals it has no handler for, even SIGTERM: a shell's child is an ordinary process
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c", "sh -c 'kill -TERM $$'; exit $?");
        assertEquals(143, r.exitCode(), r::toString);
    }
}
