package jocker.volumes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import jocker.sys.AtomicFile;
import jocker.sys.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a kept container mounts: {@code containers/ID/volumes.json}, the
 * "Mounts" of docker's container inspect. The volume store reads it to know
 * which volumes are in use, --volumes-from to copy them, rm -v to remove
 * the anonymous ones.
 */
public final class VolumeMounts {
    private VolumeMounts() {}

    public static final String FILE = "volumes.json";

    /**
     * One mount, as docker's inspect shows it.
     *
     * @param name the volume's name (type volume), else null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(@JsonProperty("Type") String type,
                        @JsonProperty("Name") String name,
                        @JsonProperty("Source") String source,
                        @JsonProperty("Destination") String destination,
                        @JsonProperty("RW") boolean rw,
                        @JsonProperty("Propagation") String propagation) {
    }

    public static void write(Path containerDir, List<Entry> mounts) throws IOException {
        AtomicFile.write(containerDir.resolve(FILE), Json.PRETTY.writeValueAsBytes(mounts));
    }

    /** The mounts of the container in that directory; none if it has no record. */
    public static List<Entry> read(Path containerDir) throws IOException {
        Path file = containerDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Entry>>() {});
    }

    /** Every kept container's mounts, by container id. */
    public static Map<String, List<Entry>> all(Path dataRoot) throws IOException {
        Map<String, List<Entry>> all = new LinkedHashMap<>();
        Path containers = dataRoot.resolve("containers");
        if (!Files.isDirectory(containers)) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(containers)) {
            for (Path d : dirs.sorted().toList()) {
                if (Files.isRegularFile(d.resolve("container.json"))) {
                    List<Entry> mounts = read(d);
                    if (!mounts.isEmpty()) {
                        all.put(d.getFileName().toString(), mounts);
                    }
                }
            }
        }
        return all;
    }
}
