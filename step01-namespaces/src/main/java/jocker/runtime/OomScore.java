package jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * process.oomScoreAdj (checked by SpecConverter): how willingly the kernel's OOM killer picks the
 * process (-1000 never, 1000 first). Written by the host into
 * /proc/PID/oom_score_adj while the init waits for its config; execve and
 * fork keep it, so the container's program and its children have it.
 */
final class OomScore {
    private OomScore() {}

    static void set(int pid, Integer adj) {
        if (adj == null) {
            return;
        }
        Path file = Path.of("/proc", Integer.toString(pid), "oom_score_adj");
        try {
            Files.writeString(file, Integer.toString(adj));
        } catch (IOException e) {
            throw new ContainerException("cannot write " + adj + " to " + file + ": " + e.getMessage(), e);
        }
    }
}
