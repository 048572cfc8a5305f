package jocker.rootfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Just enough of the ELF format to tell a static binary from a dynamic one:
 * a dynamic binary names its loader in a PT_INTERP program header, and that
 * loader (and the libraries) would be missing from a rootfs holding only the
 * binary. busybox-static has none.
 */
public final class Elf {
    private Elf() {}

    private static final int PT_INTERP = 3;

    /** True for a 64-bit little-endian ELF file without an interpreter. */
    public static boolean isStatic(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(header, 0) < 64 || header.getInt(0) != 0x464c457f) { // "\177ELF"
                throw new IOException(file + " is not an ELF binary");
            }
            if (header.get(4) != 2 || header.get(5) != 1) {
                throw new IOException(file + " is not a 64-bit little-endian ELF binary");
            }
            long phoff = header.getLong(32);
            int phentsize = Short.toUnsignedInt(header.getShort(54));
            int phnum = Short.toUnsignedInt(header.getShort(56));
            ByteBuffer ph = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < phnum; i++) {
                ph.clear();
                ch.read(ph, phoff + (long) i * phentsize);
                if (ph.getInt(0) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        }
    }
}
