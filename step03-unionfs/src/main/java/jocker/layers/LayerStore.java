package jocker.layers;

import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layers under the data root, laid out as docker's overlay2 lays them:
 *
 * <pre>
 *   ROOT/layers/ID/diff/     the layer's files; never changed once made
 *   ROOT/layers/ID/link      its short name
 *   ROOT/layers/l/NAME       a symlink to ../ID/diff
 * </pre>
 *
 * A layer's id is the digest of its content ({@link LayerDigest}), so a
 * directory imported twice is stored once, and every image or container
 * that has it shares it.
 */
public final class LayerStore {
    /** Ten characters of [A-Z2-7]: 50 random bits, and "l/NAME:" is 13 bytes of mount data per layer. */
    private static final int SHORT_NAME_LENGTH = 10;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    public LayerStore(Path dataRoot) {
        this.dir = dataRoot.resolve("layers");
    }

    /** ROOT/layers: overlay mounts are made from here, so "l/NAME" resolves. */
    /** Removes the work directories of layer commands that were killed (see Scratch). */
    public int collectScratch() throws IOException {
        return Scratch.collect(dir);
    }

    public Path dir() {
        return dir;
    }

    /** A stored layer. */
    public record Layer(String id, Path diff, String shortName) {
        /** The path overlay's lowerdir uses, relative to {@link #dir()}. */
        public String link() {
            return "l/" + shortName;
        }
    }

    /**
     * Stores a directory as a layer, unless one with the same content is
     * stored already. The copy is made under a temporary name and renamed
     * into place, so a layer directory is complete or absent.
     */
    public Layer importDirectory(Path source) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new JockerException("layer " + source + ": no such directory");
        }
        String id = LayerDigest.of(source);
        if (Files.isDirectory(dir.resolve(id))) {
            return get(id);
        }
        Files.createDirectories(dir.resolve("l"));
        Path tmp = Scratch.directory(dir, "import");
        try {
            TreeCopy.copy(source, tmp.resolve("diff"), TreeCopy.Mode.PRESERVE);
            return publish(id, tmp);
        } finally {
            TreeCopy.deleteTree(tmp);
        }
    }

    /** An empty layer directory under a temporary name, for a caller that fills it and then {@link #publish}es it. */
    public Path newLayerDirectory() throws IOException {
        Files.createDirectories(dir.resolve("l"));
        Path tmp = Scratch.directory(dir, "new");
        Files.createDirectory(tmp.resolve("diff"));
        return tmp;
    }

    // tag::publish[]
    /** Moves a filled temporary layer directory into place as layer id, with its short link. */
    public Layer publish(String id, Path tmp) throws IOException {
        String shortName = newShortName(id);
        Files.writeString(tmp.resolve("link"), shortName);
        try {
            Files.move(tmp, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException sameContentRaced) {
            Files.deleteIfExists(dir.resolve("l").resolve(shortName));
            return get(id); // someone stored the same content first: theirs is as good
        }
        return get(id);
    }
    // end::publish[]

    private String newShortName(String id) throws IOException {
        while (true) {
            StringBuilder name = new StringBuilder(SHORT_NAME_LENGTH);
            for (int i = 0; i < SHORT_NAME_LENGTH; i++) {
                name.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
            }
            try {
                Files.createSymbolicLink(dir.resolve("l").resolve(name.toString()), Path.of("..", id, "diff"));
                return name.toString();
            } catch (FileAlreadyExistsException taken) {
                // 2^50 names: try again
            }
        }
    }

    /** The layer with this id, or the only one whose id starts with it. */
    public Layer get(String idOrPrefix) throws IOException {
        Path exact = dir.resolve(idOrPrefix);
        if (idOrPrefix.matches("[0-9a-f]{64}") && Files.isDirectory(exact)) {
            return load(idOrPrefix);
        }
        List<String> matches = new ArrayList<>();
        for (Layer l : list()) {
            if (l.id().startsWith(idOrPrefix)) {
                matches.add(l.id());
            }
        }
        if (matches.size() != 1 || idOrPrefix.isEmpty()) {
            throw new JockerException(matches.isEmpty() ? "no such layer: " + idOrPrefix
                    : "layer " + idOrPrefix + " is ambiguous: " + matches.size() + " layers match");
        }
        return load(matches.get(0));
    }

    public boolean contains(String id) {
        return Files.isDirectory(dir.resolve(id));
    }

    private Layer load(String id) throws IOException {
        Path layer = dir.resolve(id);
        return new Layer(id, layer.resolve("diff"), Files.readString(layer.resolve("link")).trim());
    }

    public List<Layer> list() throws IOException {
        List<Layer> layers = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return layers;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.matches("[0-9a-f]{64}") && Files.exists(p.resolve("link"))) {
                    layers.add(load(name));
                }
            }
        }
        return layers;
    }

    /** Deletes a layer and its link (the caller knows nothing uses it). */
    public void remove(String id) throws IOException {
        Layer l = load(id);
        Files.deleteIfExists(dir.resolve(l.link()));
        TreeCopy.deleteTree(dir.resolve(id));
    }
}
