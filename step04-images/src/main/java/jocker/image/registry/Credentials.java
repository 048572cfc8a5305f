package jocker.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jocker.sys.JockerException;
import jocker.sys.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * login's credentials, in DATA_ROOT/auth.json in docker's config.json form
 * ({"auths": {"HOST": {"auth": base64(user:password)}}}), readable by root
 * only: the file is created with mode 0600 before anything is written in it.
 */
public final class Credentials {

    private final Path file;

    public Credentials(Path dataRoot) {
        this.file = dataRoot.resolve("auth.json");
    }

    /** user:password for a registry, or null. */
    public String get(String registry) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            JsonNode auth = Json.MAPPER.readTree(file.toFile()).path("auths").path(registry).path("auth");
            return auth.isTextual() ? new String(Base64.getDecoder().decode(auth.asText()), StandardCharsets.UTF_8) : null;
        } catch (IOException | IllegalArgumentException e) {
            throw new JockerException("cannot read credentials from " + file + ": " + e.getMessage(), e);
        }
    }

    public void put(String registry, String user, String password) throws IOException {
        ObjectNode root = read();
        ((ObjectNode) root.with("auths")).putObject(registry)
                .put("auth", Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        write(root);
    }

    /** @return false when there was nothing stored for it */
    public boolean remove(String registry) throws IOException {
        ObjectNode root = read();
        JsonNode auths = root.path("auths");
        if (!auths.has(registry)) {
            return false;
        }
        ((ObjectNode) auths).remove(registry);
        write(root);
        return true;
    }

    private ObjectNode read() throws IOException {
        return Files.exists(file) ? (ObjectNode) Json.MAPPER.readTree(file.toFile()) : Json.MAPPER.createObjectNode();
    }

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("auth.json.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, Json.MAPPER.writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
