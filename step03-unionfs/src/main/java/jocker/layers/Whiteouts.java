package jocker.layers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How overlayfs records deletions in an upper layer (and so in every layer
 * jocker stores):
 * <ul>
 * <li>a deleted file or directory becomes a <em>whiteout</em>: a character
 *     device with device number 0/0, under the deleted name;</li>
 * <li>a directory deleted and made again becomes <em>opaque</em>: the
 *     extended attribute trusted.overlay.opaque = "y" hides everything
 *     below it in the lower layers.</li>
 * </ul>
 * (Image tar layers write the same as ".wh.NAME" files and ".wh..wh..opq";
 * step 4 translates.)
 */
public final class Whiteouts {
    private Whiteouts() {}

    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    // tag::whiteout[]
    public static boolean isWhiteout(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFCHR && (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS) == 0;
    }

    public static boolean isOpaque(Path dir) {
        byte[] value = Xattrs.get(dir, OPAQUE_XATTR);
        return value != null && Arrays.equals(value, new byte[] {'y'});
    }
    // end::whiteout[]
}
