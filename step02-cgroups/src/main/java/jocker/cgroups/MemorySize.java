package jocker.cgroups;

import jocker.spec.SpecException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as docker's flags take them: "64m", "1g", "512k", "100" (bytes);
 * a unit is b, k, m, g, t or p, in any case, optionally followed by "b"
 * or "ib" ("64mb", "64MiB"), and powers of 1024 (docker's RAMInBytes).
 */
public final class MemorySize {
    private MemorySize() {}

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)i?b?", Pattern.CASE_INSENSITIVE);

    public static long parse(String flag, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new SpecException(flag + ": invalid size \"" + text + "\" (want a number with an optional unit: 512k, 64m, 1g)");
        }
        double number = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        double bytes = number * (1L << shift);
        if (bytes >= Long.MAX_VALUE) {
            throw new SpecException(flag + ": size \"" + text + "\" is too large");
        }
        return (long) bytes;
    }

    /** "32 MiB", "1.5 GiB": for messages. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%d %s", (long) value, units[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
