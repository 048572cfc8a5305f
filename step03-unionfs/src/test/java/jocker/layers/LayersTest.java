package jocker.layers;

import jocker.sys.LibC;
import jocker.testing.RootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers keep everything a filesystem has (root: owners, device nodes, trusted xattrs). */
@RootTest
class LayersTest {
    @TempDir
    Path tmp;

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** A tree with one of each kind of entry. */
    private Path sample() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("dir/sub"));
        Files.writeString(src.resolve("dir/file"), "content");
        jocker.sys.FileCalls.lchown(src.resolve("dir/file").toString(), 1000, 100);
        Files.setAttribute(src.resolve("dir/file"), "unix:mode", 04755); // after chown, which clears setuid
        Files.createLink(src.resolve("dir/hardlink"), src.resolve("dir/file"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("/dir/file"));
        LibC.mknodat(-100, src.resolve("null").toString(), 0020666, 0x103);
        LibC.mknodat(-100, src.resolve("whiteout").toString(), 0020000, 0);
        Xattrs.set(src.resolve("dir/sub"), Whiteouts.OPAQUE_XATTR, new byte[] {'y'});
        Files.setLastModifiedTime(src.resolve("dir/file"), FileTime.fromMillis(1_000_000_000_000L));
        return src;
    }

    @Test
    void preserveKeepsEveryKindOfEntry() throws IOException {
        Path src = sample();
        Path dst = tmp.resolve("dst");
        TreeCopy.copy(src, dst, TreeCopy.Mode.PRESERVE);
        assertEquals("content", Files.readString(dst.resolve("dir/file")));
        assertEquals(04755, (Integer) Files.getAttribute(dst.resolve("dir/file"), "unix:mode") & 07777, "setuid survives chown");
        assertEquals(1000, Files.getAttribute(dst.resolve("dir/file"), "unix:uid"));
        assertEquals(Files.getAttribute(dst.resolve("dir/file"), "unix:ino"), Files.getAttribute(dst.resolve("dir/hardlink"), "unix:ino"));
        assertEquals(Path.of("/dir/file"), Files.readSymbolicLink(dst.resolve("link")));
        assertEquals(Files.getLastModifiedTime(src.resolve("link"), NOFOLLOW), Files.getLastModifiedTime(dst.resolve("link"), NOFOLLOW));
        assertEquals(0x103L, Files.getAttribute(dst.resolve("null"), "unix:rdev", NOFOLLOW));
        assertTrue(Whiteouts.isWhiteout(dst.resolve("whiteout")));
        assertTrue(Whiteouts.isOpaque(dst.resolve("dir/sub")));
        assertEquals(FileTime.fromMillis(1_000_000_000_000L), Files.getLastModifiedTime(dst.resolve("dir/file")));
        assertEquals(LayerDigest.of(src), LayerDigest.of(dst), "the same content, the same id");
    }

    @Test
    void applyCarriesOutWhiteoutsAndOpaqueDirectories() throws IOException {
        Path below = Files.createDirectories(tmp.resolve("below"));
        Files.writeString(below.resolve("whiteout"), "deleted by the layer above");
        Files.createDirectories(below.resolve("dir/sub"));
        Files.writeString(below.resolve("dir/sub/hidden"), "hidden by the opaque directory");
        Path merged = tmp.resolve("merged");
        TreeCopy.copy(below, merged, TreeCopy.Mode.APPLY);
        TreeCopy.copy(sample(), merged, TreeCopy.Mode.APPLY);
        assertFalse(Files.exists(merged.resolve("whiteout"), NOFOLLOW));
        assertFalse(Files.exists(merged.resolve("dir/sub/hidden")));
        assertTrue(Files.isDirectory(merged.resolve("dir/sub")));
        assertFalse(Whiteouts.isOpaque(merged.resolve("dir/sub")), "carried out, not copied");
        assertEquals("content", Files.readString(merged.resolve("dir/file")));
    }

    @Test
    void anyChangeChangesTheDigest() throws IOException {
        Path src = sample();
        String before = LayerDigest.of(src);
        Files.setAttribute(src.resolve("dir/file"), "unix:mode", 0644);
        String mode = LayerDigest.of(src);
        Files.writeString(src.resolve("dir/file"), "Content");
        String content = LayerDigest.of(src);
        Xattrs.set(src.resolve("dir"), "user.note", "x".getBytes(StandardCharsets.UTF_8));
        String xattr = LayerDigest.of(src);
        assertEquals(4, List.of(before, mode, content, xattr).stream().distinct().count());
    }

    @Test
    void theStoreKeepsOneCopyOfTheSameContent() throws IOException {
        LayerStore store = new LayerStore(tmp.resolve("root"));
        Path src = sample();
        LayerStore.Layer first = store.importDirectory(src);
        LayerStore.Layer second = store.importDirectory(src);
        assertEquals(first, second);
        assertEquals(1, store.list().size());
        assertEquals(store.dir().resolve(first.link()).toRealPath(), first.diff().toRealPath());
        assertEquals(10, first.shortName().length());
        assertEquals(first, store.get(first.id().substring(0, 8)));
        try (var entries = Files.list(store.dir())) {
            assertEquals(java.util.Set.of("l", first.id()), entries.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), "no temporary directory left");
        }
        store.remove(first.id());
        assertEquals(List.of(), store.list());
        assertFalse(Files.exists(store.dir().resolve(first.link()), NOFOLLOW));
        assertNotEquals(null, first.id());
        assertArrayEquals(new byte[] {'y'}, Xattrs.get(src.resolve("dir/sub"), Whiteouts.OPAQUE_XATTR));
    }
}
