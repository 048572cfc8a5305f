package jocker.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import jocker.sys.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes config.json. */
public final class SpecFile {
    private SpecFile() {}

    public static final String NAME = "config.json";

    private static final JsonFactory STREAMING = new JsonFactory();

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

    // tag::has-hooks[]
    /**
     * Whether the spec in this file has hooks: a look at its top-level fields
     * with Jackson's streaming parser. {@code start} needs the spec only for
     * its poststart hooks, and most specs have none; reading the whole spec
     * (data binding: a mapper, and a deserializer for each of its records)
     * would cost a cold JVM some 80 ms. If the file is not what it should be,
     * true: then {@link #read} says what is wrong.
     */
    public static boolean hasHooks(Path file) {
        try (JsonParser p = STREAMING.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("hooks")) {
                    return value != JsonToken.VALUE_NULL;
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
    // end::has-hooks[]

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
