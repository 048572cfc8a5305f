package jocker.image.registry;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docker's per-layer progress: one line per layer ("a3ed95caeb02: Downloading
 * [=====>      ] 1.2MB/4.5MB"). On a terminal the lines are redrawn in place;
 * elsewhere (a log, a pipe) only status changes are printed, one line each.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean tty;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private final Map<String, Long> lastDraw = new LinkedHashMap<>();
    private int drawn;

    public Progress(PrintWriter out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    public static Progress quiet() {
        return new Progress(new PrintWriter(java.io.OutputStream.nullOutputStream()), false);
    }

    public synchronized void status(String id, String text) {
        if (text.equals(lines.get(id))) {
            return;
        }
        lines.put(id, text);
        if (tty) {
            redraw();
        } else {
            out.println(id + ": " + text);
            out.flush();
        }
    }

    /** Byte progress; drawn on a terminal, at most ten times a second per layer. */
    public synchronized void bytes(String id, String verb, long done, long total) {
        if (!tty) {
            if (!lines.containsKey(id) || !lines.get(id).startsWith(verb)) {
                status(id, verb);
            }
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw.getOrDefault(id, 0L) < 100_000_000L) {
            return;
        }
        lastDraw.put(id, now);
        int width = 50;
        int filled = total > 0 ? (int) (width * done / total) : 0;
        String bar = "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled) + "]";
        lines.put(id, String.format(Locale.ROOT, "%s %s  %s/%s", verb, bar, human(done), human(total)));
        redraw();
    }

    /** A line of its own, after the layers. */
    public synchronized void line(String text) {
        out.println(text);
        out.flush();
        drawn = 0;
        lines.clear();
    }

    private void redraw() {
        if (drawn > 0) {
            out.print("\033[" + drawn + "A");
        }
        List<String> ids = new ArrayList<>(lines.keySet());
        for (String id : ids) {
            out.print("\033[2K" + id + ": " + lines.get(id) + "\n");
        }
        drawn = ids.size();
        out.flush();
    }

    /** A size as docker prints one: decimal units, three significant digits ("2.43MB"). */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + "B";
        }
        double v = bytes;
        String[] units = {"kB", "MB", "GB", "TB"};
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.3g%s", v, units[u]);
    }
}
