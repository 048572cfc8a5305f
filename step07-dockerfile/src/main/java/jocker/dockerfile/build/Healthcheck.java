package jocker.dockerfile.build;

import jocker.dockerfile.DockerfileException;
import jocker.dockerfile.Node;
import jocker.image.json.ImageConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HEALTHCHECK as docker keeps it in the config: Test, and the durations in nanoseconds, Retries. */
final class Healthcheck {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Healthcheck() {}

    static ImageConfig.HealthConfig of(Node n) {
        Map<String, Object> h = map(n);
        return new ImageConfig.HealthConfig(test(h), (Long) h.get("Interval"), (Long) h.get("Timeout"),
                (Long) h.get("StartPeriod"), (Long) h.get("StartInterval"), (Integer) h.get("Retries"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> test(Map<String, Object> h) {
        return (List<String>) h.get("Test");
    }

    private static Map<String, Object> map(Node n) {
        List<String> v = n.values();
        if (v.isEmpty()) {
            throw new DockerfileException(n.startLine(), "HEALTHCHECK requires an argument");
        }
        String type = v.get(0).toUpperCase(Locale.ROOT);
        Map<String, Object> h = new LinkedHashMap<>();
        if (type.equals("NONE")) {
            if (v.size() > 1 || !n.flags().isEmpty()) {
                throw new DockerfileException(n.startLine(), "HEALTHCHECK NONE takes no arguments");
            }
            h.put("Test", List.of("NONE"));
            return h;
        }
        if (!type.equals("CMD")) {
            throw new DockerfileException(n.startLine(), "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        List<String> test = new ArrayList<>();
        if (n.json()) {
            test.add("CMD");
            test.addAll(v.subList(1, v.size()));
        } else {
            test.add("CMD-SHELL");
            test.add(v.size() > 1 ? v.get(1) : "");
        }
        h.put("Test", test);
        for (String f : n.flags()) {
            int eq = f.indexOf('=');
            String name = eq < 0 ? f.substring(2) : f.substring(2, eq);
            String value = eq < 0 ? "" : f.substring(eq + 1);
            switch (name) {
                case "interval" -> put(h, "Interval", duration(n, name, value));
                case "timeout" -> put(h, "Timeout", duration(n, name, value));
                case "start-period" -> put(h, "StartPeriod", duration(n, name, value));
                case "start-interval" -> put(h, "StartInterval", duration(n, name, value));
                case "retries" -> {
                    int r;
                    try {
                        r = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new DockerfileException(n.startLine(), "strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
                    }
                    if (r < 0) {
                        throw new DockerfileException(n.startLine(), "--retries cannot be negative (" + r + ")");
                    }
                    if (r != 0) {
                        h.put("Retries", r);
                    }
                }
                default -> throw new DockerfileException(n.startLine(), "unknown flag: " + name);
            }
        }
        return h;
    }

    private static void put(Map<String, Object> h, String key, long ns) {
        if (ns != 0) {
            h.put(key, ns);
        }
    }

    /** Go's time.ParseDuration (what docker's flags take), at least 1ms unless 0. */
    static long duration(Node n, String flag, String text) {
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = DURATION.matcher(text);
        long total = 0;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            double x = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total += (long) (x * unit);
            at = m.end();
        }
        if (at != text.length() || text.isEmpty()) {
            throw new DockerfileException(n.startLine(), "time: invalid duration \"" + text + "\"");
        }
        if (total != 0 && total < 1_000_000L) {
            throw new DockerfileException(n.startLine(), "Interval \"" + flag + "\" cannot be less than 1ms");
        }
        return total;
    }

    /**
     * How docker 20.10's history shows it: Go's %q of its struct, the
     * durations as Go prints them, Retries as a quoted rune (2 is '\x02').
     */
    static String shown(ImageConfig.HealthConfig hc) {
        StringBuilder s = new StringBuilder("&{[");
        List<String> test = hc.test();
        for (int i = 0; i < test.size(); i++) {
            s.append(i == 0 ? "" : " ").append(jocker.dockerfile.GoQuote.quote(test.get(i)));
        }
        s.append("]");
        for (Long d : new Long[] {hc.interval(), hc.timeout(), hc.startPeriod()}) {
            s.append(" \"").append(goDuration(d == null ? 0 : d)).append('"');
        }
        int r = hc.retries() == null ? 0 : hc.retries();
        s.append(' ').append(r >= 32 && r < 127 && r != '\'' && r != '\\' ? "'" + (char) r + "'"
                : String.format("'\\x%02x'", r));
        return s.append('}').toString();
    }

    /** Go's time.Duration.String for whole milliseconds and more: 5s, 1m30s, 1h0m0s, 1.5s, 500ms, 0s. */
    static String goDuration(long ns) {
        if (ns == 0) {
            return "0s";
        }
        if (ns < 1_000_000_000L) {
            return trim(ns / 1e6) + "ms";
        }
        long h = ns / 3_600_000_000_000L;
        long m = ns % 3_600_000_000_000L / 60_000_000_000L;
        double sec = ns % 60_000_000_000L / 1e9;
        return (h > 0 ? h + "h" : "") + (h > 0 || m > 0 ? m + "m" : "") + trim(sec) + "s";
    }

    private static String trim(double v) {
        String s = String.valueOf(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
