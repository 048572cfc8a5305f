package jocker.rootfs;

import jocker.sys.Fd;
import jocker.mounts.InRoot;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import jocker.sys.Errno;
import jocker.sys.SysException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves docker's {@code --user} ("1000", "1000:100", "nobody",
 * "nobody:nogroup") against the rootfs's own /etc/passwd and /etc/group,
 * the way docker does before it writes the numeric ids into the spec
 * (libcontainer's GetExecUser): a user found in passwd brings its primary
 * group and home; its supplementary groups are the primary group and, unless
 * a group was given, the groups that list it as a member; an unknown
 * numeric uid runs with gid 0 and home "/".
 *
 * <p>The files are read through {@link InRoot}: a rootfs whose /etc/passwd
 * is a symlink to /etc/shadow on the host reads the rootfs's /etc/shadow.
 */
public final class UserResolver {
    private UserResolver() {}

    /** Resolved ids and home directory (for $HOME). */
    public record ResolvedUser(Spec.User user, String home) {
    }

    record PasswdEntry(String name, int uid, int gid, String home) {
    }

    record GroupEntry(String name, int gid, List<String> members) {
    }

    public static ResolvedUser resolve(Path rootfs, String userSpec) {
        String userPart = userSpec;
        String groupPart = null;
        int colon = userSpec.indexOf(':');
        if (colon >= 0) {
            userPart = userSpec.substring(0, colon);
            groupPart = userSpec.substring(colon + 1);
            if (groupPart.isEmpty()) {
                throw new SpecException("invalid user \"" + userSpec + "\": empty group");
            }
        }
        if (userPart.isEmpty()) {
            throw new SpecException("invalid user \"" + userSpec + "\": empty user");
        }
        List<String> passwdLines = readInRoot(rootfs, "/etc/passwd");
        List<String> groupLines = readInRoot(rootfs, "/etc/group");
        return resolve(userSpec, userPart, groupPart, parsePasswd(passwdLines), parseGroups(groupLines));
    }

    static ResolvedUser resolve(String userSpec, String userPart, String groupPart,
                                List<PasswdEntry> passwd, List<GroupEntry> groups) {
        Integer numericUid = number(userPart);
        PasswdEntry entry = null;
        for (PasswdEntry p : passwd) {
            if (numericUid == null ? p.name().equals(userPart) : p.uid() == numericUid) {
                entry = p;
                break;
            }
        }
        if (entry == null && numericUid == null) {
            throw new SpecException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        int uid = entry != null ? entry.uid() : numericUid;
        int gid = entry != null ? entry.gid() : 0;
        String home = entry != null && !entry.home().isEmpty() ? entry.home() : "/";
        List<Integer> additional = new ArrayList<>();
        if (groupPart != null) {
            Integer numericGid = number(groupPart);
            if (numericGid != null) {
                gid = numericGid;
            } else {
                GroupEntry g = null;
                for (GroupEntry candidate : groups) {
                    if (candidate.name().equals(groupPart)) {
                        g = candidate;
                        break;
                    }
                }
                if (g == null) {
                    throw new SpecException("unable to find group " + groupPart + ": no matching entries in group file");
                }
                gid = g.gid();
            }
        }
        // docker's supplementary groups (measured against dockerd 20.10): the
        // primary group first, then, unless a group was given, every group
        // that lists the user as a member. busybox's `id` shows them all.
        additional.add(gid);
        if (groupPart == null && entry != null) {
            for (GroupEntry g : groups) {
                if (g.members().contains(entry.name()) && !additional.contains(g.gid())) {
                    additional.add(g.gid());
                }
            }
        }
        return new ResolvedUser(new Spec.User(uid, gid, null, additional), home);
    }

    static List<PasswdEntry> parsePasswd(List<String> lines) {
        List<PasswdEntry> entries = new ArrayList<>();
        for (String line : lines) {
            // name:password:uid:gid:gecos:home:shell
            String[] f = line.split(":", -1);
            if (line.startsWith("#") || f.length < 7) {
                continue;
            }
            Integer uid = number(f[2]);
            Integer gid = number(f[3]);
            if (uid != null && gid != null) {
                entries.add(new PasswdEntry(f[0], uid, gid, f[5]));
            }
        }
        return entries;
    }

    static List<GroupEntry> parseGroups(List<String> lines) {
        List<GroupEntry> entries = new ArrayList<>();
        for (String line : lines) {
            // name:password:gid:member,member
            String[] f = line.split(":", -1);
            if (line.startsWith("#") || f.length < 4) {
                continue;
            }
            Integer gid = number(f[2]);
            if (gid == null) {
                continue;
            }
            List<String> members = new ArrayList<>();
            for (String m : f[3].split(",")) {
                if (!m.isBlank()) {
                    members.add(m.trim());
                }
            }
            entries.add(new GroupEntry(f[0], gid, members));
        }
        return entries;
    }

    /** A non-negative id, or null when the text is a name. */
    private static Integer number(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SpecException("id " + text + " is out of range");
        }
    }

    /** The lines of a file inside the rootfs, or none when it (or the rootfs) does not exist. */
    static List<String> readInRoot(Path rootfs, String path) {
        if (!Files.isDirectory(rootfs)) {
            return List.of();
        }
        int rootFd = InRoot.openRoot(rootfs.toString());
        try {
            int fd;
            try {
                fd = InRoot.open(rootFd, path, Fd.O_RDONLY, 0);
            } catch (SysException e) {
                if (e.errno() == Errno.ENOENT) {
                    return List.of();
                }
                throw new SpecException("cannot read " + path + " in " + rootfs + ": " + e.getMessage(), e);
            }
            try {
                return Files.readAllLines(Path.of(InRoot.procPath(fd)));
            } catch (IOException e) {
                throw new SpecException("cannot read " + path + " in " + rootfs + ": " + e.getMessage(), e);
            } finally {
                InRoot.closeQuietly(fd);
            }
        } finally {
            InRoot.closeQuietly(rootFd);
        }
    }
}
