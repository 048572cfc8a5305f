package jocker.spec;

import jocker.sys.Json;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes config.json. */
public final class SpecFile {
    private SpecFile() {}

    public static final String NAME = "config.json";

    public static Spec read(Path file) {
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), Spec.class);
        } catch (NoSuchFileException e) {
            throw new SpecException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new SpecException(file + ": " + oneLine(e));
        } catch (IOException e) {
            throw new SpecException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Spec parse(String json) {
        try {
            return Json.MAPPER.readValue(json, Spec.class);
        } catch (JsonProcessingException e) {
            throw new SpecException("bad spec: " + oneLine(e));
        }
    }

    public static String toJson(Spec spec) {
        try {
            return Json.PRETTY.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write spec as JSON", e);
        }
    }

    /** Jackson's message without its multi-line source excerpt: "line 3, column 5: Unexpected character ...". */
    static String oneLine(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        JsonLocation at = e.getLocation();
        return at == null ? message : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + message;
    }
}
