package jocker.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jocker.sys.JockerException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, "sha256:" and 64 hex digits: the name of a blob in a
 * registry and in the store, computed from its bytes, so that the bytes can
 * always be checked against their name.
 */
public record Digest(String hex) {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    public Digest {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new JockerException("invalid digest hex \"" + hex + "\"");
        }
    }

    /** Parses "sha256:HEX"; the error quotes the bad text. */
    @JsonCreator
    public static Digest parse(String text) {
        if (text == null || !SHA256.matcher(text).matches()) {
            throw new JockerException("invalid digest \"" + text + "\" (want sha256: and 64 lowercase hex digits)");
        }
        return new Digest(text.substring(7));
    }

    public static Digest of(byte[] bytes) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(bytes)));
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    /** A SHA-256 hasher: OpenSSL's if libcrypto is here (see {@link NativeSha256}), else the JDK's. */
    public static MessageDigest sha256() {
        if (NativeSha256.available()) {
            return new NativeSha256();
        }
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    /** The first 12 hex digits, as docker shows image ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
