package jocker.mounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mount(2) flags and the fstab-style option words that set them.
 *
 * <p>config.json lists mount options as words ({@code "nosuid"},
 * {@code "mode=755"}); the kernel wants a flags word plus a data string for
 * the filesystem. {@link #parse} splits one into the other.
 */
public final class MountFlags {
    private MountFlags() {}

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    public static final long MS_STRICTATIME = 1L << 24;

    /**
     * Not a mount(2) flag: the option word "rro" (runc's name), read-only
     * for the mount and every mount below it, which mount(2) cannot do
     * (a remount changes one mount); set with mount_setattr(2) after the bind.
     */
    public static final long RECURSIVE_RDONLY = 1L << 40;

    /** umount2(2): detach now, clean up when no longer busy. */
    public static final int MNT_DETACH = 2;

    /** The flags a bind remount must repeat or lose (statfs(2) f_flags ST_* share these bits). */
    public static final long LOCKED_FLAGS = MS_NOSUID | MS_NODEV | MS_NOEXEC;

    /** Options parsed from words: the flags, a propagation change, and what is left for the filesystem. */
    public record Parsed(long flags, long propagation, String data) {
        public boolean isBind() {
            return (flags & MS_BIND) != 0;
        }
    }

    /** word -> {flags to set, flags to clear} */
    private static final Map<String, long[]> WORDS = Map.ofEntries(
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("ro", new long[] {MS_RDONLY, 0}),
            Map.entry("rw", new long[] {0, MS_RDONLY}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 0}),
            Map.entry("suid", new long[] {0, MS_NOSUID}),
            Map.entry("nodev", new long[] {MS_NODEV, 0}),
            Map.entry("dev", new long[] {0, MS_NODEV}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 0}),
            Map.entry("exec", new long[] {0, MS_NOEXEC}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("async", new long[] {0, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 0}),
            Map.entry("nomand", new long[] {0, MS_MANDLOCK}),
            Map.entry("noatime", new long[] {MS_NOATIME, 0}),
            Map.entry("atime", new long[] {0, MS_NOATIME}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("diratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("relatime", new long[] {MS_RELATIME, 0}),
            Map.entry("norelatime", new long[] {0, MS_RELATIME}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("nostrictatime", new long[] {0, MS_STRICTATIME}),
            Map.entry("bind", new long[] {MS_BIND, 0}),
            Map.entry("rbind", new long[] {MS_BIND | MS_REC, 0}),
            Map.entry("rro", new long[] {MS_RDONLY | RECURSIVE_RDONLY, 0}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE,
            "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED,
            "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE,
            "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE,
            "runbindable", MS_UNBINDABLE | MS_REC);

    /** Every option word this parser knows (for the runtime's features). */
    public static List<String> names() {
        List<String> names = new ArrayList<>(WORDS.keySet());
        names.addAll(PROPAGATION.keySet());
        names.sort(null);
        return names;
    }

    /** Splits option words into flags, propagation and filesystem data ("mode=755,size=65536k"). */
    public static Parsed parse(List<String> options) {
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String word : options) {
            long[] setClear = WORDS.get(word);
            Long prop = PROPAGATION.get(word);
            if (setClear != null) {
                flags = (flags | setClear[0]) & ~setClear[1];
            } else if (prop != null) {
                propagation = prop;
            } else if (!word.isEmpty()) {
                data.add(word);
            }
        }
        return new Parsed(flags, propagation, data.isEmpty() ? null : String.join(",", data));
    }
}
