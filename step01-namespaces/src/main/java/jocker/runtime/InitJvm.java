package jocker.runtime;

import com.sun.jna.LastErrorException;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the container's init JVM. Its start is most of the
 * cost of a container start, so it is started lean: the serial GC, only the
 * first JIT tier and one compiler thread, no perf-data file (which would also land in the host's
 * /tmp), JNA's native library already unpacked, and, when bin/stepNN
 * recorded one, a class-data-sharing archive of the classes it loads.
 */
public final class InitJvm {
    private InitJvm() {}

    /** System property naming the CDS archive bin/stepNN recorded for this classpath. */
    public static final String CDS_ARCHIVE_PROPERTY = "jocker.cds.archive";

    public static final String MAIN_CLASS = "jocker.init.ContainerInit";

    public static List<String> command() {
        return command(null);
    }

    // tag::classpath-fds[]
    /**
     * The same, with each classpath entry and JNA's library directory named
     * by a file descriptor (/proc/self/fd/N, N from fdBase on) when fdBase is
     * not null: for an init in a user namespace, whose root is an ordinary
     * user to the host and may not search directories such as /root, where
     * the build or the Maven repository may live. A path through
     * /proc/self/fd skips the directories above the file; only the file's
     * own permissions count. {@link #openClasspath} opens them, in this order.
     * (Without a class-data archive: it records the paths it was made with.)
     */
    static List<String> command(Integer fdBase) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:CICompilerCount=1");   // one JIT thread: the host JVM is busy on the other core
        cmd.add("-XX:-UsePerfData");
        cmd.add("-Xss512k");
        cmd.add("-Xms4m");
        cmd.add("-Xmx64m");
        // the JVM must print nothing of its own into the container's output
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=error:stderr");
        String archive = System.getProperty(CDS_ARCHIVE_PROPERTY);
        if (fdBase == null && archive != null && Files.isRegularFile(Path.of(archive))) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
            cmd.add("-XX:+UnlockDiagnosticVMOptions"); // mapped where it was made to be: see bin/lib/launch.sh
            cmd.add("-XX:ArchiveRelocationMode=0");
        }
        List<String> entries = classpath();
        String jnaDir = System.getProperty("jna.boot.library.path");
        if (jnaDir != null) {
            cmd.add("-Djna.boot.library.path=" + (fdBase == null ? jnaDir : "/proc/self/fd/" + (fdBase + entries.size())));
        }
        // without it, JNA runs `ldconfig -p` to build its library search path
        cmd.add("-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", "/usr/lib"));
        // for experiments: JOCKER_INIT_JAVA_OPTIONS="-Xlog:class+load:file=/tmp/init.log:uptime"
        String extra = System.getenv("JOCKER_INIT_JAVA_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (fdBase == null) {
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, entries));
        } else {
            // the boot class path: the JVM itself opens its entries by the names given; the application
            // class path's loader would resolve the links to the real paths, and be refused at /root
            List<String> viaFds = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                viaFds.add("/proc/self/fd/" + (fdBase + i));
            }
            cmd.add("-Xbootclasspath/a:" + String.join(File.pathSeparator, viaFds));
        }
        cmd.add(MAIN_CLASS);
        return cmd;
    }

    /** Opens what {@link #command(Integer)} names by fd: the classpath entries, then JNA's directory (close-on-exec). */
    static int[] openClasspath() {
        List<String> paths = new ArrayList<>(classpath());
        String jnaDir = System.getProperty("jna.boot.library.path");
        if (jnaDir != null) {
            paths.add(jnaDir);
        }
        int[] fds = new int[paths.size()];
        for (int i = 0; i < fds.length; i++) {
            try {
                fds[i] = LibC.open(paths.get(i), Fd.O_RDONLY | Fd.O_CLOEXEC, 0);
            } catch (LastErrorException e) {
                for (int j = 0; j < i; j++) {
                    Fd.close(fds[j]);
                }
                throw SysException.of(e, "open the init's classpath entry " + paths.get(i));
            }
        }
        return fds;
    }
    // end::classpath-fds[]

    private static List<String> classpath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }
}
