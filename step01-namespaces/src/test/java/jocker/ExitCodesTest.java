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

    /** Runs step01 with args after "run --rootfs R" and checks the exit code and the one-line error. */
    private static void assertFails(int code, String error, String... args) throws IOException {
        String[] all = new String[args.length + 3];
        all[0] = "run";
        all[1] = "--rootfs";
        all[2] = rootfs();
        System.arraycopy(args, 0, all, 3, args.length);
        Cmd.Result r = Cmd.run(MAIN, all);
        assertEquals(code, r.exitCode(), r::toString);
        assertEquals(error + "\n", r.err());
    }

    @Test
    void exitCodeIsTheProcesses() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c", "exit 3");
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void aCommandThatDoesNotExistGives127AndNamesIt() throws IOException {
        assertFails(127, "step01: exec: \"no-such-command\": executable file not found in $PATH", "--", "no-such-command");
    }

    @Test
    void aMissingPathGives127() throws IOException {
        assertFails(127, "step01: exec: \"/no/such\": stat /no/such: no such file or directory", "--", "/no/such");
    }

    @Test
    void aFileThatCannotBeExecutedGives126() throws IOException {
        assertFails(126, "step01: exec: \"/etc/passwd\": permission denied", "--", "/etc/passwd");
    }

    @Test
    void aMissingRootfsGives125AndOneLine() throws IOException {
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", "/no/such/rootfs", "--", "true");
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: rootfs /no/such/rootfs: no such directory\n", r.err());
    }

    @Test
    void aBadFlagGives125AndOneLine() throws IOException {
        assertFails(125, "step01: Unknown option: '--no-such-flag' (see 'step01 run --help')", "--no-such-flag", "--", "true");
    }

    @Test
    void anUnknownUserGives125() throws IOException {
        assertFails(125, "step01: unable to find user nosuchuser: no matching entries in passwd file",
                "-u", "nosuchuser", "--", "true");
    }

    @Test
    void sigtermToStep01ReachesTheContainer() throws Exception {
        signalReachesTheContainer("TERM", 42);
    }

    @Test
    void sigintToStep01ReachesTheContainer() throws Exception {
        signalReachesTheContainer("INT", 7);
    }

    /** The container traps the signal and exits with the code; step01 was sent it. */
    private void signalReachesTheContainer(String signal, int code) throws Exception {
        Cmd cmd = Cmd.start(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c",
                "trap 'echo got " + signal + "; exit " + code + "' " + signal + "; echo ready; while true; do sleep 0.05; done");
        cmd.awaitOutput("ready", Duration.ofSeconds(30));
        cmd.signal(signal);
        Cmd.Result r = cmd.await(Duration.ofSeconds(30));
        assertEquals(code, r.exitCode(), r::toString);
        assertTrue(r.out().contains("got " + signal), r::toString);
    }

    @Test
    void aProcessKilledBySignalGives128PlusTheSignal() throws Exception {
        // PID 1 ignores signals it has no handler for, even SIGTERM: a shell's child is an ordinary process
        Cmd.Result r = Cmd.run(MAIN, "run", "--rootfs", rootfs(), "--", "sh", "-c", "sh -c 'kill -TERM $$'; exit $?");
        assertEquals(143, r.exitCode(), r::toString);
    }
}
