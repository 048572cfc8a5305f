package jocker.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which process runs a container: its pid and its start time (field 22 of
 * /proc/PID/stat, in clock ticks since boot). A pid alone can be reused by
 * an unrelated process; the pair cannot.
 */
public final class Owner {
    private Owner() {}

    public static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name, field 2, may hold spaces: count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static boolean isAlive(long pid, long start) {
        long now = startTime(pid);
        return now >= 0 && now == start;
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }
}
