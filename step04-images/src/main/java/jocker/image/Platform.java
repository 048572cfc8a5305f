package jocker.image;

import jocker.sys.JockerException;

import java.util.Locale;

/** An OS and CPU architecture, as manifest lists name them: "linux/amd64", "linux/arm64/v8". */
public record Platform(String os, String architecture, String variant) {

    public static Platform parse(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new JockerException("invalid platform \"" + text + "\" (want os/arch[/variant], as linux/amd64)");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** This machine, in Go's names (what images use): amd64, arm64 ... */
    public static Platform current() {
        String arch = System.getProperty("os.arch");
        return new Platform("linux", switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386" -> "386";
            default -> arch;
        }, null);
    }

    /** Whether an image built for other can run as this platform (a variant given must match). */
    public boolean matches(String otherOs, String otherArch, String otherVariant) {
        return os.equals(otherOs) && architecture.equals(otherArch)
                && (variant == null || variant.equals(otherVariant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
