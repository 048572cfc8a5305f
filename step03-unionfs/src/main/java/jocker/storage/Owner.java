package jocker.storage;

import jocker.runtime.InitProcess;

/**
 * Which process runs a container: its pid and its start time (field 22 of
 * /proc/PID/stat, in clock ticks since boot). A pid alone can be reused by
 * an unrelated process; the pair cannot. (The runtime's InitProcess knows
 * how to read them; this is the store's name for it.)
 */
public final class Owner {
    private Owner() {}

    public static long startTime(long pid) {
        InitProcess p = InitProcess.of((int) pid);
        return p == null ? -1 : p.startTime();
    }

    public static boolean isAlive(long pid, long start) {
        return new InitProcess((int) pid, start).isAlive();
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }
}
