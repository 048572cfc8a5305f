package jocker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a test can check the host for after a container: mounts and processes left behind. */
public final class HostState {
    private HostState() {}

    /** Lines of the host's /proc/self/mountinfo that mention text (a rootfs path, "jocker" ...). */
    public static List<String> mountsMentioning(String text) throws IOException {
        List<String> hits = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (line.contains(text)) {
                hits.add(line);
            }
        }
        return hits;
    }

    /** Command lines of live processes that contain text. */
    public static List<String> processesMentioning(String text) throws IOException {
        List<String> hits = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                try {
                    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.contains(text) && !dir.getFileName().toString().equals(Long.toString(ProcessHandle.current().pid()))) {
                        hits.add(dir.getFileName() + ": " + cmdline.strip());
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return hits;
    }
}
