package jocker.image;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.lang.ref.Cleaner;
import java.security.MessageDigest;

/**
 * SHA-256 from OpenSSL's libcrypto (present wherever systemd is), as a
 * {@link MessageDigest}. Why not the JDK's: a pull hashes every byte twice
 * (the compressed blob, the uncompressed tar), and the JDK's SHA-256 runs
 * on the CPU's SHA instructions only once C2, the optimising JIT compiler,
 * has compiled it. A command that lives a few seconds runs C1 code
 * (300 MB: 2.3 s), or pays C2 to compile everything else as well (300 MB:
 * 0.26 s, but a second core busy compiling). libcrypto is fast from the
 * first byte. Without libcrypto, {@link Digest#sha256()} falls back to the JDK's.
 */
final class NativeSha256 extends MessageDigest {
    private static final boolean LOADED = load();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int BUFFER = 1 << 16;

    private static boolean load() {
        try {
            Native.register(NativeSha256.class, "libcrypto.so.3");
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    private static native Pointer EVP_sha256();

    private static native Pointer EVP_MD_CTX_new();

    private static native void EVP_MD_CTX_free(Pointer ctx);

    private static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    private static native int EVP_DigestUpdate(Pointer ctx, byte[] data, long count);

    private static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

    static boolean available() {
        return LOADED;
    }

    private final Pointer ctx;
    // small updates (a tar reader's 512-byte records) are gathered: one native call per 64 KiB
    private final byte[] pending = new byte[BUFFER];
    private int pendingLength;

    NativeSha256() {
        super("SHA-256");
        Pointer c = EVP_MD_CTX_new();
        if (c == null) {
            throw new OutOfMemoryError("EVP_MD_CTX_new");
        }
        ctx = c;
        CLEANER.register(this, () -> EVP_MD_CTX_free(c));
        engineReset();
    }

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int length) {
        if (pendingLength + length > BUFFER) {
            flush();
        }
        if (length >= BUFFER) {
            if (offset == 0 && length == input.length) {
                check(EVP_DigestUpdate(ctx, input, length), "EVP_DigestUpdate");
            } else {
                check(EVP_DigestUpdate(ctx, java.util.Arrays.copyOfRange(input, offset, offset + length), length),
                        "EVP_DigestUpdate");
            }
            return;
        }
        System.arraycopy(input, offset, pending, pendingLength, length);
        pendingLength += length;
    }

    private void flush() {
        if (pendingLength > 0) {
            check(EVP_DigestUpdate(ctx, pending, pendingLength), "EVP_DigestUpdate");
            pendingLength = 0;
        }
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] md = new byte[32];
        check(EVP_DigestFinal_ex(ctx, md, null), "EVP_DigestFinal_ex");
        engineReset();
        return md;
    }

    @Override
    protected void engineReset() {
        pendingLength = 0;
        check(EVP_DigestInit_ex(ctx, EVP_sha256(), null), "EVP_DigestInit_ex");
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    private static void check(int ok, String call) {
        if (ok != 1) {
            throw new IllegalStateException("libcrypto: " + call + " failed");
        }
    }
}
