package jocker.image;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libcrypto's SHA-256 gives the JDK's results, however the bytes are fed to it. */
class NativeSha256Test {
    @Test
    void libcryptoIsHereOnDebian() {
        assertTrue(NativeSha256.available(), "libcrypto.so.3 (libssl3) not found: pulls hash with the JDK's slower SHA-256");
    }

    @Test
    void theEmptyInputAndAKnownVector() throws Exception {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(new NativeSha256().digest()));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(new NativeSha256().digest("abc".getBytes())));
    }

    @Test
    void anyMixOfSmallAndLargeUpdatesAgreesWithTheJdk() throws Exception {
        Random random = new Random(7);
        byte[] data = new byte[3 << 20];
        random.nextBytes(data);
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        NativeSha256 nat = new NativeSha256();
        for (int off = 0; off < data.length; ) {
            int n = Math.min(data.length - off, random.nextInt(5) == 0 ? 200_000 : random.nextInt(3000));
            if (n == 1) {
                jdk.update(data[off]);
                nat.update(data[off]);
            } else {
                jdk.update(data, off, n);
                nat.update(data, off, n);
            }
            off += n;
        }
        assertArrayEquals(jdk.digest(), nat.digest());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(new byte[0]), nat.digest(), "reset after digest");
    }
}
