package jocker.image.layers;

import jocker.layers.Whiteouts;
import jocker.storage.TarExport;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a layer directory (overlay's form: whiteouts as 0/0 devices,
 * opaque directories by attribute) as an image layer tar (OCI's form:
 * ".wh.NAME" files and ".wh..wh..opq"): the reverse of {@link LayerUnpacker},
 * used by commit and wherever a layer has no blob yet.
 */
public final class LayerPacker {
    private LayerPacker() {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    // tag::pack[]
    public static void pack(Path layerDir, OutputStream out) throws IOException {
        Map<String, String> hardLinks = new HashMap<>();
        try (TarArchiveOutputStream tar = TarExport.open(out)) {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(layerDir)) {
                all = walk.filter(p -> !p.equals(layerDir)).sorted().toList();
            }
            for (Path p : all) {
                String name = layerDir.relativize(p).toString();
                if (Whiteouts.isWhiteout(p)) {
                    Path parent = p.getParent();
                    String whiteout = (parent.equals(layerDir) ? "" : layerDir.relativize(parent) + "/") + ".wh." + p.getFileName();
                    TarArchiveEntry entry = new TarArchiveEntry(whiteout);
                    entry.setModTime(Files.getLastModifiedTime(p, NOFOLLOW));
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                    continue;
                }
                TarArchiveEntry entry = TarExport.entryFor(name, p, hardLinks);
                if (entry == null) {
                    continue;
                }
                Map<String, String> pax = new HashMap<>(entry.getExtraPaxHeaders());
                if (pax.keySet().removeIf(k -> k.startsWith("SCHILY.xattr.trusted.overlay."))) {
                    entry.clearExtraPaxHeaders(); // overlay's own marks become .wh. entries, not attributes
                    pax.forEach(entry::addPaxHeader);
                }
                TarExport.put(tar, entry, p);
                if (Files.isDirectory(p, NOFOLLOW) && Whiteouts.isOpaque(p)) {
                    TarArchiveEntry opaque = new TarArchiveEntry(name + "/.wh..wh..opq");
                    opaque.setModTime(entry.getModTime());
                    tar.putArchiveEntry(opaque);
                    tar.closeArchiveEntry();
                }
            }
            tar.finish();
        }
    }
    // end::pack[]

    /**
     * The same from a list of changes (vfs, whose container has no upper
     * directory, only a whole root): A and C entries taken from root, D
     * written as whiteouts.
     */
    public static void packChanges(Path root, List<jocker.storage.Change> changes, OutputStream out) throws IOException {
        Map<String, String> hardLinks = new HashMap<>();
        try (TarArchiveOutputStream tar = TarExport.open(out)) {
            for (jocker.storage.Change c : changes) {
                String name = c.path().substring(1);
                if (c.kind() == jocker.storage.Change.Kind.D) {
                    int slash = name.lastIndexOf('/');
                    TarArchiveEntry whiteout = new TarArchiveEntry(slash < 0 ? ".wh." + name
                            : name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1));
                    tar.putArchiveEntry(whiteout);
                    tar.closeArchiveEntry();
                    continue;
                }
                Path p = root.resolve(name);
                TarArchiveEntry entry = TarExport.entryFor(name, p, hardLinks);
                if (entry != null) {
                    TarExport.put(tar, entry, p);
                }
            }
            tar.finish();
        }
    }
}
