package jocker;

import jocker.testing.Cmd;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run --bundle with the config.json `runc spec` writes (runc 1.1.5, kept in test resources). */
@RootTest
class BundleTest {

    /** runc's spec, less its device rule: step 1 has no cgroups to apply it with (see the test below). */
    static String runcSpec() throws IOException {
        return jocker.testing.TestBundle.withoutResources(jocker.testing.TestBundle.runcSpec());
    }

    @Test
    void step1RefusesResourcesItCannotApply(@TempDir Path bundle) throws IOException {
        Files.createSymbolicLink(bundle.resolve("rootfs"), TestRootfs.busybox());
        Files.writeString(bundle.resolve("config.json"), jocker.testing.TestBundle.runcSpec());
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--bundle", bundle.toString());
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: linux.resources: it needs cgroups, which step 1 does not make (use bin/step02 or later)\n",
                r.err());
    }

    @Test
    void aBundleMadeByRuncSpecRuns(@TempDir Path bundle) throws IOException {
        Files.createSymbolicLink(bundle.resolve("rootfs"), TestRootfs.busybox());
        String config = runcSpec().replace("\"sh\"\n", "\"sh\", \"-c\", \"hostname; echo $$; grep -E 'CapEff|CapBnd' /proc/self/status;"
                + " ulimit -n; touch /x 2>&1; cat /proc/self/status | grep NoNewPrivs\"\n");
        Files.writeString(bundle.resolve("config.json"), config);
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--bundle", bundle.toString());
        assertEquals(0, r.exitCode(), r::toString);
        // runc's spec says "terminal": true: the output came through the container's own pty, whose
        // line discipline ends lines with CR LF (onlcr), as under runc run
        assertTrue(r.out().contains("\r\n"), r::toString);
        assertEquals("""
                runc
                1
                CapEff:\t0000000020000420
                CapBnd:\t0000000020000420
                1024
                touch: /x: Read-only file system
                NoNewPrivs:\t1
                """, r.out().replace("\r\n", "\n"), "hostname, PID 1, caps (the bounding set too), rlimit, read-only root and no_new_privs of runc's spec");
    }

    @Test
    void bundleAndFlagsDoNotMix(@TempDir Path bundle) throws IOException {
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--bundle", bundle.toString(), "--rootfs", "/");
        assertEquals(125, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("step01: --bundle takes its rootfs"), r::toString);
    }

    @Test
    void aBundleWithoutConfigIsOneLine(@TempDir Path bundle) throws IOException {
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--bundle", bundle.toString());
        assertEquals(125, r.exitCode(), r::toString);
        assertEquals("step01: " + bundle.resolve("config.json") + ": no such file\n", r.err());
    }

    @Test
    void aBrokenConfigIsOneLineWithItsPosition(@TempDir Path bundle) throws IOException {
        Files.writeString(bundle.resolve("config.json"), "{\n  \"process\": {\"args\": [\"sh\"],}\n}\n");
        Cmd.Result r = Cmd.run("jocker.cli.Main", "run", "--bundle", bundle.toString());
        assertEquals(125, r.exitCode(), r::toString);
        assertTrue(r.err().matches("step01: \\S+config.json: line 2, column \\d+: .*\n"), r::toString);
    }
}
