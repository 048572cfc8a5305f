package jocker.storage;

import jocker.layers.Whiteouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a container changed, as `docker diff` reports it: one line per
 * path, A (added), C (changed) or D (deleted), a directory listed as
 * changed when something in it was added or deleted.
 */
public final class Changes {
    private Changes() {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    // tag::of-upper[]
    /**
     * From an overlay upper directory: everything in it is a change, since
     * overlay writes nothing else there. A whiteout is a deletion; an opaque
     * directory that the layers below have is a deletion of that directory
     * (what is in it now is listed as added); a name the layers below have
     * is a change; any other name is an addition. Directories that only
     * came up because of a change below them, with the same mode, size and
     * time as below, are not changes of their own. Walk order, as docker.
     */
    public static List<Change> ofUpper(Path upper, List<Path> lowerTopFirst) throws IOException {
        List<Change> changes = new ArrayList<>();
        walkUpper(upper, "", lowerTopFirst, new HashSet<>(), changes);
        return changes;
    }

    private static void walkUpper(Path upper, String rel, List<Path> lower, Set<String> changedDirs, List<Change> changes)
            throws IOException {
        for (Path p : sortedChildren(rel.isEmpty() ? upper : upper.resolve(rel))) {
            String childRel = rel.isEmpty() ? p.getFileName().toString() : rel + "/" + p.getFileName();
            String path = "/" + childRel;
            boolean isDir = Files.isDirectory(p, NOFOLLOW);
            Path below = inLower(lower, childRel);
            Change.Kind kind;
            boolean skip = false;
            if (Whiteouts.isWhiteout(p) || isDir && Whiteouts.isOpaque(p) && below != null) {
                kind = Change.Kind.D;
            } else if (below == null) {
                kind = Change.Kind.A;
            } else {
                kind = Change.Kind.C;
                // a directory that came up only for what is below it is not a change of its own
                skip = isDir && Files.isDirectory(below, NOFOLLOW) && sameDir(p, below);
            }
            if (!skip) {
                if (isDir) {
                    changedDirs.add(path);
                }
                if (kind != Change.Kind.C) {
                    String parent = parent(path);
                    if (!parent.equals("/") && changedDirs.add(parent)) {
                        changes.add(new Change(Change.Kind.C, parent));
                    }
                }
                changes.add(new Change(kind, path));
            }
            if (isDir) {
                walkUpper(upper, childRel, lower, changedDirs, changes);
            }
        }
    }

    private static Path inLower(List<Path> lowerTopFirst, String rel) {
        for (Path layer : lowerTopFirst) {
            Path candidate = layer.resolve(rel);
            if (Files.exists(candidate, NOFOLLOW)) {
                return candidate;
            }
        }
        return null;
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
    }
    // end::of-upper[]

    private static boolean sameDir(Path a, Path b) throws IOException {
        return Files.size(a) == Files.size(b)
                && Files.getAttribute(a, "unix:mode", NOFOLLOW).equals(Files.getAttribute(b, "unix:mode", NOFOLLOW))
                && sameTime(a, b);
    }

    /** Equal times, or the same second with one side lacking nanoseconds (tar keeps seconds only). */
    private static boolean sameTime(Path a, Path b) throws IOException {
        long ta = Files.getLastModifiedTime(a, NOFOLLOW).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        long tb = Files.getLastModifiedTime(b, NOFOLLOW).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        long second = 1_000_000_000L;
        return ta == tb || ta / second == tb / second && (ta % second == 0 || tb % second == 0);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /**
     * From two trees (vfs): the container's directory against the union of
     * its layers. Names are compared in sorted order; a deleted directory is
     * one D, not one per file in it.
     */
    static List<Change> ofTrees(Path rootfs, MergedLayers layers) throws IOException {
        List<Change> changes = new ArrayList<>();
        compare(rootfs, layers, "", true, changes);
        return changes;
    }

    private static void compare(Path rootfs, MergedLayers layers, String rel, boolean oldExists, List<Change> changes)
            throws IOException {
        Path dir = rel.isEmpty() ? rootfs : rootfs.resolve(rel);
        Map<String, Path> old = oldExists ? layers.children(rel) : Map.of();
        TreeMap<String, Path> now = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> now.put(p.getFileName().toString(), p));
        }
        // one sorted pass over the names of both sides, so deletions come in path order too
        TreeMap<String, Boolean> names = new TreeMap<>();
        old.keySet().forEach(n -> names.put(n, true));
        now.keySet().forEach(n -> names.put(n, true));
        for (String name : names.keySet()) {
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            Path was = old.get(name);
            Path is = now.get(name);
            if (is == null) {
                changes.add(new Change(Change.Kind.D, "/" + childRel));
                continue;
            }
            int before = changes.size();
            boolean recorded = false;
            if (was == null) {
                changes.add(new Change(Change.Kind.A, "/" + childRel));
                recorded = true;
            } else if (statDifferent(was, is)) {
                changes.add(new Change(Change.Kind.C, "/" + childRel));
                recorded = true;
            }
            if (Files.isDirectory(is, NOFOLLOW)) {
                boolean oldIsDir = was != null && Files.isDirectory(was, NOFOLLOW);
                compare(rootfs, layers, childRel, oldIsDir, changes);
                if (!recorded && changes.size() > before) {
                    changes.add(before, new Change(Change.Kind.C, "/" + childRel));
                }
            }
        }
    }

    /** docker's test: type and mode, owner, device; for non-directories also size and time. */
    private static boolean statDifferent(Path a, Path b) throws IOException {
        for (String attr : new String[] {"unix:mode", "unix:uid", "unix:gid", "unix:rdev"}) {
            if (!Objects.equals(Files.getAttribute(a, attr, NOFOLLOW), Files.getAttribute(b, attr, NOFOLLOW))) {
                return true;
            }
        }
        if (Files.isDirectory(a, NOFOLLOW)) {
            return false;
        }
        return Files.size(a) != Files.size(b) || !sameTime(a, b);
    }
}
