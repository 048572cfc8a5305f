package jocker;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestBundle;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * step01 on a terminal, as script(1) gives one: ^C stops what runs in the
 * container's foreground; -t (or a spec's process.terminal) gives the
 * container a terminal of its own, relayed to jocker's, which is put back as
 * it was.
 */
@RootTest
class TerminalTest {
    private static final String MAIN = "jocker.cli.Main";

    @TempDir
    Path tmp;

    /** The step01 command line, for a shell on script(1)'s terminal. */
    private static String step01(String args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return java + " -Djna.platform.library.path=/usr/lib -cp " + System.getProperty("java.class.path") + " " + MAIN
                + " " + args;
    }

    /** A shell command run on a new terminal (script -q -e -c), its input a pipe the test writes to. */
    private record OnATerminal(Process script, Path log) implements AutoCloseable {
        static OnATerminal run(Path log, String command) throws IOException {
            Process script = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null")
                    .redirectOutput(log.toFile()).redirectErrorStream(true).start();
            return new OnATerminal(script, log);
        }

        String waitFor(String text, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!Files.readString(log).contains(text)) {
                assertTrue(System.nanoTime() < deadline, "no \"" + text + "\" in: " + Files.readString(log));
                Thread.sleep(20);
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        void type(String keys) throws IOException {
            OutputStream in = script.getOutputStream();
            in.write(keys.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        @Override
        public void close() {
            script.destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsTheCommandTheContainersShellIsWaitingFor() throws Exception {
        try (OnATerminal t = OnATerminal.run(tmp.resolve("log"), step01("run --rootfs " + TestRootfs.busybox()
                + " -- sh -c 'echo ready; sleep 60; echo sleep ended'; echo step01 exit $?"))) {
            t.waitFor("ready", 30);
            ProcessHandle javaProcess = t.script.descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
            // what a terminal does on ^C: SIGINT to its foreground process group, where step01 is
            new ProcessBuilder("kill", "-INT", Long.toString(javaProcess.pid())).start().waitFor();
            // forwarded to the container's process group, it stops sleep at once (not after 60 s),
            // and sh -c, whose foreground command died of SIGINT, ends with it: 130, as on any terminal
            String out = t.waitFor("step01 exit", 15);
            assertTrue(out.contains("step01 exit 130") && !out.contains("sleep ended"), out);
        }
    }

    @Test
    void dashTGivesTheContainerATerminalOfItsOwnAndPutsTheHostsBack() throws Exception {
        try (OnATerminal t = OnATerminal.run(tmp.resolve("log"), "stty -g; " + step01("run -t --rootfs "
                + TestRootfs.busybox() + " -- sh -c 'tty; echo TERM=$TERM; read line; echo read: $line; exit 3'")
                + "; echo step01 exit $?; stty -g")) {
            t.waitFor("TERM=", 30);
            t.type("typed at the host\r"); // the host's terminal is raw: Enter is a CR, the pty's makes it a line
            String out = t.waitFor("step01 exit", 15);
            List<String> lines = out.lines().map(String::strip).toList();
            assertTrue(lines.contains("/dev/pts/0"), "the terminal is the container's own, from its devpts: " + out);
            assertTrue(lines.contains("TERM=xterm"), out);
            assertTrue(lines.contains("read: typed at the host"), "input reaches the container: " + out);
            assertTrue(lines.contains("step01 exit 3"), out);
            int exit = lines.indexOf("step01 exit 3");
            assertEquals(lines.get(0), lines.get(exit + 1), "the host terminal's settings, before and after: " + out);
        }
    }

    @Test
    void aShellOnItsOwnTerminalEndsWhenItsInputDoes() throws Exception {
        // stdin a pipe, not a terminal: when it ends, the pty gets its end-of-file character (^D)
        Process p = new ProcessBuilder("bash", "-c", "printf 'echo hi from the pipe\\n' | " + step01("run -t --rootfs "
                + TestRootfs.busybox() + " -- sh") + "; echo step01 exit $?").redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertTrue(ended, "the shell did not end with its input");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().map(String::strip).toList();
        assertTrue(lines.contains("hi from the pipe"), out);
        assertTrue(lines.contains("step01 exit 0"), out);
    }

    @Test
    void aBundleThatAsksForATerminalGetsOneInTheForeground() throws Exception {
        Path bundle = TestBundle.make(tmp.resolve("bundle"), "tty; stty size",
                c -> TestBundle.withoutResources(c.replace("\"terminal\": false", "\"terminal\": true")));
        try (OnATerminal t = OnATerminal.run(tmp.resolve("log"), "stty rows 33 cols 101; "
                + step01("run --bundle " + bundle) + "; echo step01 exit $?")) {
            String out = t.waitFor("step01 exit", 30);
            List<String> lines = out.lines().map(String::strip).toList();
            assertTrue(lines.contains("/dev/pts/0"), out);
            assertTrue(lines.contains("33 101"), "the window size is the host terminal's: " + out);
            assertTrue(lines.contains("step01 exit 0"), out);
        }
    }

    @Test
    void execDashTInTheForegroundRelaysATerminalAndDetachedItNeedsASocket() throws Exception {
        Path state = tmp.resolve("state");
        Path bundle = TestBundle.make(tmp.resolve("bundle"), "exec sleep 60", TestBundle::withoutResources);
        Cmd.Result created = TestBundle.runtime(MAIN, state, "create", "--bundle", bundle.toString(), "tty-exec");
        assertEquals(0, created.exitCode(), created::toString);
        try {
            assertEquals(0, TestBundle.runtime(MAIN, state, "start", "tty-exec").exitCode());
            try (OnATerminal t = OnATerminal.run(tmp.resolve("log"),
                    step01("--root " + state + " exec -t tty-exec tty") + "; echo step01 exit $?")) {
                String out = t.waitFor("step01 exit", 30);
                assertTrue(out.lines().map(String::strip).toList().contains("/dev/pts/0"), out);
                assertTrue(out.contains("step01 exit 0"), out);
            }
            Cmd.Result detached = TestBundle.runtime(MAIN, state, "exec", "-t", "-d", "tty-exec", "tty");
            assertEquals(125, detached.exitCode(), detached::toString);
            assertEquals("step01: a detached process with a terminal (--tty --detach) needs --console-socket\n",
                    detached.err());
            Cmd.Result socketAlone = TestBundle.runtime(MAIN, state, "exec", "--console-socket", "/nonexistent",
                    "tty-exec", "tty");
            assertEquals("step01: --console-socket goes with --tty\n", socketAlone.err());
        } finally {
            TestBundle.runtime(MAIN, state, "delete", "--force", "tty-exec");
        }
    }
}
