package jocker.image.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jocker.sys.JockerException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reading and writing the JSON of images. What jocker writes is compact
 * and in a fixed order (fields as declared, map keys sorted, as Go's
 * encoder writes them), because a manifest's or a config's digest is
 * the digest of its exact bytes. What it reads from elsewhere is kept as it
 * came (the bytes are stored, not re-written), so digests never change.
 */
public final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** For people: indented, and maps in the order they were made (inspect's fields in docker's order). */
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public static <T> T read(byte[] bytes, Class<T> type, String what) {
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (ValueInstantiationException e) {
            // a document's own rule (a required field, no null entries): see the records' constructors
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new JockerException(what + " is not valid: "
                    + (cause.getMessage() == null ? "a field is missing or null" : cause.getMessage()));
        } catch (JsonProcessingException e) {
            throw new JockerException(what + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new JockerException("cannot read " + what + ": " + e.getMessage(), e);
        }
        if (value == null || value instanceof Object[] array && Arrays.asList(array).contains(null)) {
            throw new JockerException(what + " is not valid: null where a document was expected");
        }
        return value;
    }

    /** A document's list, checked: none of its entries is null (JSON's null, or a value of the wrong kind). */
    public static <T> List<T> entries(List<T> list, String field) {
        if (list == null) {
            return List.of();
        }
        for (T entry : list) {
            if (entry == null) {
                throw new IllegalArgumentException(field + " has a null entry");
            }
        }
        return List.copyOf(list);
    }

    /** A document's required field. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
