package jocker.storage;

import jocker.layers.LayerStore;
import jocker.layers.Whiteouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The union of a stack of layers, computed in Java the way overlayfs shows
 * it: the top-most layer that has a name decides what it is; a whiteout
 * there means it is gone; an opaque directory hides the layers below it.
 */
public final class MergedLayers {
    private final List<Path> topFirst;

    private MergedLayers(List<Path> topFirst) {
        this.topFirst = topFirst;
    }

    public static MergedLayers of(List<LayerStore.Layer> bottomFirst) {
        List<Path> top = new ArrayList<>();
        for (int i = bottomFirst.size() - 1; i >= 0; i--) {
            top.add(bottomFirst.get(i).diff());
        }
        return new MergedLayers(top);
    }

    /** The file that shows at rel ("a/b"), or null when no layer has it or a whiteout hides it. */
    public Path entry(String rel) throws IOException {
        for (Path layer : topFirst) {
            Path p = rel.isEmpty() ? layer : layer.resolve(rel);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return Whiteouts.isWhiteout(p) ? null : p;
            }
        }
        return null;
    }

    /** The names in directory rel, each with the file that shows for it. */
    public TreeMap<String, Path> children(String rel) throws IOException {
        TreeMap<String, Path> result = new TreeMap<>();
        Set<String> hidden = new TreeSet<>();
        for (Path layer : topFirst) {
            Path dir = rel.isEmpty() ? layer : layer.resolve(rel);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                break; // a file here hides directories of the same name below
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    String name = p.getFileName().toString();
                    if (result.containsKey(name) || hidden.contains(name)) {
                        continue;
                    }
                    if (Whiteouts.isWhiteout(p)) {
                        hidden.add(name);
                    } else {
                        result.put(name, p);
                    }
                }
            }
            if (Whiteouts.isOpaque(dir)) {
                break;
            }
        }
        return result;
    }
}
