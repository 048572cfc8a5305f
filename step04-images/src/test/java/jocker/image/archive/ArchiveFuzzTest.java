package jocker.image.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jocker.image.Digest;
import jocker.image.Images;
import jocker.image.Platform;
import jocker.sys.JockerException;
import jocker.testing.RootTest;
import jocker.testing.TestRootfs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static jocker.testing.Step04Cli.ok;
import static jocker.testing.Step04Cli.step04;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of broken archives, each of either format: cut short at a random
 * byte, or with one field of one of its JSON documents deleted or given a
 * value of the wrong kind (the digests then redone, so that the damage
 * reaches the code past the digest checks). Whatever load makes of them, it
 * must be a success or an error a user reads as one line (the kinds the CLI
 * reports with 125), never an exception that escapes as an internal error.
 */
@RootTest
class ArchiveFuzzTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CASES_PER_FORMAT = 1200;

    @Test
    void noBrokenArchiveEndsInAnInternalError() throws Exception {
        Path maker = tmp.resolve("maker");
        Path layer = Files.createDirectories(tmp.resolve("layer/etc"));
        Files.writeString(layer.resolve("hostname"), "fuzz\n");
        ok(step04(maker, "import", "-c", "CMD [\"cat\", \"/etc/hostname\"]", layer.getParent().toString(), "fuzz:1"));
        Images images = new Images(tmp.resolve("root"));
        Random random = new Random(20261130);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String format : List.of("docker", "oci")) {
            Path archive = tmp.resolve(format + ".tar");
            ok(step04(maker, "save", "--format", format, "-o", archive.toString(), "fuzz:1"));
            byte[] whole = Files.readAllBytes(archive);
            Map<String, byte[]> entries = untar(whole);
            for (int i = 0; i < CASES_PER_FORMAT; i++) {
                boolean cut = i % 2 == 0;
                byte[] broken = cut ? Arrays.copyOf(whole, random.nextInt(whole.length))
                        : mutated(entries, random);
                String what = format + " case " + i + (cut ? " (cut at " + broken.length + ")" : " (a JSON field)");
                try {
                    Archives.load(new ByteArrayInputStream(broken), images, Platform.current());
                    outcomes.merge("loaded", 1, Integer::sum);
                } catch (JockerException | IOException | UncheckedIOException | IllegalArgumentException e) {
                    outcomes.merge(String.valueOf(e.getMessage()).replaceAll("[0-9a-f]{64}", "H").replaceAll("[0-9]+", "N"),
                            1, Integer::sum);
                    assertNotNull(e.getMessage(), what + ": an error without a message: " + e);
                    assertFalse(e.getMessage().contains("\n"), what + ": more than one line: " + e.getMessage());
                } catch (RuntimeException e) {
                    throw new AssertionError(what + ": an internal error", e);
                }
            }
        }
        // the damage reached past the tar reader and the digest checks: many kinds of error, and some loads
        assertTrue(outcomes.getOrDefault("loaded", 0) > 100, outcomes::toString);
        assertTrue(outcomes.size() > 30, outcomes::toString);
        TestRootfs.delete(maker);
        TestRootfs.delete(tmp.resolve("root"));
    }

    /** The archive with one JSON document damaged, and every digest and size that named a changed file redone. */
    private static byte[] mutated(Map<String, byte[]> original, Random random) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(original);
        List<String> documents = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getValue().length > 0 && e.getValue()[0] == '{' || e.getValue().length > 0 && e.getValue()[0] == '[') {
                documents.add(e.getKey());
            }
        }
        String name = documents.get(random.nextInt(documents.size()));
        JsonNode doc = JSON.readTree(entries.get(name));
        damage(doc, random);
        entries.put(name, JSON.writeValueAsBytes(doc));
        redoDigests(entries);
        return tar(entries);
    }

    /** Deletes one field, or gives it null, a number, a string or an empty array, somewhere in the tree. */
    private static void damage(JsonNode doc, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(doc, containers);
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        int choice = random.nextInt(5);
        if (parent instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String field = names.get(random.nextInt(names.size()));
            switch (choice) {
                case 0 -> object.remove(field);
                case 1 -> object.putNull(field);
                case 2 -> object.put(field, -1);
                case 3 -> object.put(field, "x");
                default -> object.putArray(field);
            }
        } else if (parent instanceof ArrayNode array && array.size() > 0) {
            int index = random.nextInt(array.size());
            switch (choice) {
                case 0 -> array.remove(index);
                case 1 -> array.set(index, JSON.nullNode());
                case 2 -> array.set(index, JSON.getNodeFactory().numberNode(-1));
                case 3 -> array.set(index, JSON.getNodeFactory().textNode("x"));
                default -> array.removeAll();
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.elements().forEachRemaining(child -> collect(child, containers));
        }
    }

    /** Renames each blob whose bytes no longer match its name, and points every descriptor of it at the new one. */
    private static void redoDigests(Map<String, byte[]> entries) throws IOException {
        for (int round = 0; round < 4; round++) {
            boolean changed = false;
            for (String name : new ArrayList<>(entries.keySet())) {
                if (!name.startsWith("blobs/sha256/")) {
                    continue;
                }
                String oldHex = name.substring("blobs/sha256/".length());
                Digest actual = Digest.of(entries.get(name));
                if (actual.hex().equals(oldHex)) {
                    continue;
                }
                byte[] bytes = entries.remove(name);
                entries.put("blobs/sha256/" + actual.hex(), bytes);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    byte[] v = e.getValue();
                    if (v.length > 0 && (v[0] == '{' || v[0] == '[')
                            && new String(v, StandardCharsets.UTF_8).contains(oldHex)) {
                        JsonNode doc = JSON.readTree(v);
                        repoint(doc, "sha256:" + oldHex, actual.toString(), bytes.length);
                        e.setValue(JSON.writeValueAsBytes(doc));
                    }
                }
                changed = true;
            }
            if (!changed) {
                return;
            }
        }
    }

    private static void repoint(JsonNode node, String oldDigest, String newDigest, long size) {
        if (node instanceof ObjectNode object && oldDigest.equals(object.path("digest").asText())) {
            object.put("digest", newDigest);
            object.put("size", size);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            repoint(it.next(), oldDigest, newDigest, size);
        }
    }

    private static Map<String, byte[]> untar(byte[] archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    entries.put(e.getName().replaceFirst("^\\./", ""), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                out.putArchiveEntry(entry);
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
