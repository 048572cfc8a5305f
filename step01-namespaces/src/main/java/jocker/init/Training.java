package jocker.init;

import jocker.capabilities.CapabilitySets;
import jocker.mounts.RootfsConfig;
import jocker.process.Exec;
import jocker.process.ExecFailure;
import jocker.process.ProcessConfig;
import jocker.sys.Fd;
import jocker.sys.LibC;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A harmless run through the init stage's code paths, for recording a
 * class-data-sharing archive (bin/stepNN records one at first start with
 * -XX:ArchiveClassesAtExit). The archive maps the classes loaded here into
 * every later init JVM instead of loading and verifying them again.
 * No mount, namespace or credential is touched.
 */
final class Training {
    private Training() {}

    static void run() throws IOException {
        LibC.getpid();
        LibC.strerror(2);
        LibC.statfs("/", new long[15]);
        RootfsConfig rootfs = new RootfsConfig("/", false,
                List.of(new RootfsConfig.Entry("proc", "/proc", "proc", 0, 0, null)), List.of("/x"), List.of("/y"));
        ProcessConfig process = new ProcessConfig(List.of("sh"), List.of("PATH=/bin"), "/", 0, 0, List.of(1),
                022, new CapabilitySets(1, 1, 0, 1, 0), false, List.of(new ProcessConfig.Limit(7, 1, 1)));
        InitConfig config = new InitConfig("train", 0, rootfs, process);

        // the same pipe round trip as a real start, config one way and a status frame back
        int[] pipe = Fd.pipe();
        try (DataOutputStream out = new DataOutputStream(Fd.out(pipe[1]));
             DataInputStream in = new DataInputStream(Fd.in(pipe[0]))) {
            config.write(out);
            InitConfig.read(in);
            out.writeInt(0);
            in.readInt();
        }
        Exec.resolve("sh", "/bin:/usr/bin");
        try {
            Exec.resolve("no-such-command-for-training", "/nonexistent");
        } catch (ExecFailure expected) {
            // loaded, as on a real "not found"
        }
    }
}
