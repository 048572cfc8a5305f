package jocker.layers;

import com.sun.jna.LastErrorException;
import jocker.sys.FileCalls;
import jocker.sys.SysException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Extended attributes of a file (not following symlinks): read all, write one. */
public final class Xattrs {
    private Xattrs() {}

    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;

    /** Every extended attribute of path, by name (empty when the filesystem has none). */
    public static Map<String, byte[]> read(Path path) {
        Map<String, byte[]> result = new LinkedHashMap<>();
        String p = path.toString();
        try {
            long size = FileCalls.llistxattr(p, null, 0);
            if (size <= 0) {
                return result;
            }
            byte[] names = new byte[(int) size];
            size = FileCalls.llistxattr(p, names, names.length);
            int start = 0;
            for (int i = 0; i < size; i++) {
                if (names[i] == 0) {
                    String name = new String(names, start, i - start, StandardCharsets.UTF_8);
                    byte[] value = get(path, name);
                    if (value != null) {
                        result.put(name, value);
                    }
                    start = i + 1;
                }
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() != ENOTSUP) {
                throw SysException.of(e, "list extended attributes of " + path);
            }
        }
        return result;
    }

    /** One attribute's value, or null when it is not set. */
    public static byte[] get(Path path, String name) {
        try {
            long size = FileCalls.lgetxattr(path.toString(), name, null, 0);
            byte[] value = new byte[(int) size];
            FileCalls.lgetxattr(path.toString(), name, value, value.length);
            return value;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) {
                return null;
            }
            throw SysException.of(e, "read extended attribute " + name + " of " + path);
        }
    }

    public static void set(Path path, String name, byte[] value) {
        try {
            FileCalls.lsetxattr(path.toString(), name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "set extended attribute " + name + " on " + path);
        }
    }
}
