package jocker.image.cli;

import com.fasterxml.jackson.databind.JsonNode;
import jocker.sys.JockerException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * --insecure-registry HOST:PORT: plain HTTP allowed to it, as docker's
 * daemon setting of the same name (also read from DATA_ROOT/daemon.json,
 * "insecure-registries"). Registries on localhost always are.
 */
public class RegistryOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST:PORT", description = "Allow plain HTTP to this registry.")
    List<String> insecure = new ArrayList<>();

    public Set<String> insecureRegistries(Path dataRoot) {
        Set<String> all = new LinkedHashSet<>(insecure);
        Path config = dataRoot.resolve("daemon.json");
        if (Files.exists(config)) {
            try {
                JsonNode list = jocker.sys.Json.MAPPER.readTree(config.toFile()).path("insecure-registries");
                list.forEach(n -> all.add(n.asText()));
            } catch (IOException e) {
                throw new JockerException("cannot read " + config + ": " + e.getMessage(), e);
            }
        }
        return all;
    }
}
