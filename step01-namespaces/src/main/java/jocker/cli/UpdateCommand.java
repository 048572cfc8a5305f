package jocker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import jocker.spec.SpecException;
import jocker.sys.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code update}: runc's update. New limits (a linux.resources object) from a
 * file, or from stdin with {@code -r -} as containerd sends them.
 */
@Command(name = "update", description = "Change a container's resource limits (a linux.resources JSON object).")
public class UpdateCommand extends RuntimeVerb {
    @Option(names = {"-r", "--resources"}, paramLabel = "FILE", required = true,
            description = "The new linux.resources as JSON; - reads stdin.")
    String resources;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws IOException {
        Object section;
        try (InputStream in = resources.equals("-") ? System.in : Files.newInputStream(Path.of(resources))) {
            section = Json.MAPPER.readValue(in, Object.class);
        } catch (JsonProcessingException e) {
            throw new SpecException("--resources " + resources + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        lifecycle().update(id, section);
        return 0;
    }
}
