package jocker.runtime;

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
        if (archive != null && Files.isRegularFile(Path.of(archive))) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
        }
        String jnaDir = System.getProperty("jna.boot.library.path");
        if (jnaDir != null) {
            cmd.add("-Djna.boot.library.path=" + jnaDir);
        }
        // without it, JNA runs `ldconfig -p` to build its library search path
        cmd.add("-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", "/usr/lib"));
        // for experiments: JOCKER_INIT_JAVA_OPTIONS="-Xlog:class+load:file=/tmp/init.log:uptime"
        String extra = System.getenv("JOCKER_INIT_JAVA_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN_CLASS);
        return cmd;
    }
}
