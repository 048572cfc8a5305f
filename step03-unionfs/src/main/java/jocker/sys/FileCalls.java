package jocker.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The file calls step 3 adds to {@link LibC}'s: extended attributes and
 * owners of symlinks, which java.nio cannot reach. overlayfs keeps its
 * opaque-directory mark in the "trusted.overlay.opaque" attribute.
 */
public final class FileCalls {
    static {
        Native.register(FileCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private FileCalls() {}

    /** Returns the value's size; with a null or too small buffer, only asks for it. */
    public static native long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;
    public static native int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;
    /** The names, each NUL-terminated, one after the other. */
    public static native long llistxattr(String path, byte[] list, long size) throws LastErrorException;
    public static native int lchown(String path, int uid, int gid) throws LastErrorException;
    public static native int chmod(String path, int mode) throws LastErrorException;
    /** times: {atime seconds, nanoseconds, mtime seconds, nanoseconds}; flags AT_SYMLINK_NOFOLLOW sets a link's own. */
    public static native int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;
}
