package jocker.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The host's mount table (/proc/self/mountinfo): which mount a path is on, and how that mount propagates. */
public final class HostMounts {
    private HostMounts() {}

    /**
     * A mount: where it is, and the optional fields of mountinfo that say its
     * propagation ("shared:N" a member of peer group N, "master:N" a slave of
     * it; neither: private).
     */
    public record Mount(String mountPoint, List<String> propagation) {
        public boolean shared() {
            return propagation.stream().anyMatch(f -> f.startsWith("shared:"));
        }

        public boolean slave() {
            return propagation.stream().anyMatch(f -> f.startsWith("master:"));
        }
    }

    /** The mount path is on: the deepest mount point that contains its real path. */
    public static Mount of(Path path) throws IOException {
        String real = path.toRealPath().toString();
        Mount best = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            String point = unescape(f[4]);
            boolean contains = point.equals("/") || real.equals(point) || real.startsWith(point + "/");
            if (contains && (best == null || point.length() >= best.mountPoint().length())) {
                int dash = List.of(f).indexOf("-");
                best = new Mount(point, List.of(f).subList(6, dash < 0 ? 6 : dash)); // later entries are mounted over earlier
            }
        }
        return best;
    }

    /** mountinfo writes a space, tab, newline and backslash in a path as octal escapes. */
    static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
