package jocker.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** Container ids: 64 random hex digits, as docker makes them. */
public final class ContainerIds {
    private ContainerIds() {}

    public static String random() {
        // /dev/urandom directly: SecureRandom would first initialise the whole
        // security-provider framework, a few ms of every container start.
        byte[] bytes = new byte[32];
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                throw new IOException("short read");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /dev/urandom", e);
        }
        return HexFormat.of().formatHex(bytes);
    }
}
