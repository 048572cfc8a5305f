package jocker;

import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** step01 on a terminal: ^C stops what runs in the container's foreground, as a terminal would. */
@RootTest
class TerminalTest {

    @Test
    void ctrlCStopsTheCommandTheContainersShellIsWaitingFor() throws Exception {
        Path log = Files.createTempFile("jocker-tty", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String step01 = java + " -Djna.platform.library.path=/usr/lib -cp " + System.getProperty("java.class.path")
                + " jocker.cli.Main run --rootfs " + TestRootfs.busybox()
                + " -- sh -c 'echo ready; sleep 60; echo sleep ended'; echo step01 exit $?";
        // script(1) runs the command on a new pseudo-terminal: step01's stdin is a tty
        Process script = new ProcessBuilder("script", "-q", "-e", "-c", step01, "/dev/null")
                .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("ready")) {
                assertTrue(System.nanoTime() < deadline, "no ready: " + Files.readString(log));
                Thread.sleep(20);
            }
            ProcessHandle javaProcess = script.descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
            // what a terminal does on ^C: SIGINT to its foreground process group, where step01 is
            new ProcessBuilder("kill", "-INT", Long.toString(javaProcess.pid())).start().waitFor();
            // forwarded to the container's process group, it stops sleep at once (not after 60 s),
            // and sh -c, whose foreground command died of SIGINT, ends with it: 130, as on any terminal
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Files.readString(log).contains("step01 exit")) {
                assertTrue(System.nanoTime() < deadline, "^C did not stop the container: " + Files.readString(log));
                Thread.sleep(20);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(out.contains("step01 exit 130") && !out.contains("sleep ended"), out);
        } finally {
            script.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
