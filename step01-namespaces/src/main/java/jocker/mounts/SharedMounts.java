package jocker.mounts;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

// tag::shared-mounts[]
/**
 * The mounts of a container that has no mount namespace of its own: made on
 * its rootfs in the host's namespace, they do not go away with the container
 * (there is no namespace to die), so delete unmounts them. Found in the
 * host's mount table, not in a record of what was mounted: what counts is
 * what is there, including what the container's own processes mounted below.
 */
public final class SharedMounts {
    private SharedMounts() {}

    /** Unmounts every mount at or below rootfs/destination, for each destination, deepest first. */
    public static void unmount(Path rootfs, List<String> destinations) {
        List<Path> targets = new ArrayList<>();
        for (String destination : destinations) {
            Path top = rootfs.resolve(destination.replaceFirst("^/+", "")).normalize();
            if (!top.startsWith(rootfs) || top.equals(rootfs)) {
                continue; // never the rootfs itself, never outside it
            }
            for (Path mountPoint : mountPoints()) {
                if (mountPoint.startsWith(top) && !targets.contains(mountPoint)) {
                    targets.add(mountPoint);
                }
            }
        }
        targets.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path target : targets) {
            try {
                LibC.umount2(target.toString(), MountFlags.MNT_DETACH);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINVAL && e.getErrorCode() != Errno.ENOENT) {
                    throw SysException.of(e, "unmount " + target);
                }
                // stacked twice on one point, the first detach took both
            }
        }
    }

    /** The mount points of this process's mount namespace (field 5 of mountinfo, octal escapes undone). */
    static List<Path> mountPoints() {
        List<Path> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    points.add(Path.of(unescape(fields[4])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        return points;
    }

    /** mountinfo writes space, tab, newline and backslash as \040, \011, \012 and \134. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
// end::shared-mounts[]
