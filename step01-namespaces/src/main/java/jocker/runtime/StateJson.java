package jocker.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * state.json, read and written with Jackson's streaming parser and
 * generator rather than its data binding. Every runtime verb reads a
 * state, and an engine runs several verbs per container; data binding
 * would first build an ObjectMapper and work out, by reflection, how to
 * make a State, which costs a short-lived JVM more than the rest of
 * {@code state} together. The file is the same either way.
 */
public final class StateJson {
    private StateJson() {}

    private static final JsonFactory JSON = new JsonFactory();

    static byte[] write(State s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ociVersion", s.ociVersion());
            g.writeStringField("id", s.id());
            g.writeStringField("status", s.status().ociName());
            g.writeNumberField("pid", s.pid());
            g.writeNumberField("initStartTime", s.initStartTime());
            g.writeStringField("bundle", s.bundle());
            if (s.rootfs() != null) {
                g.writeStringField("rootfs", s.rootfs());
            }
            g.writeStringField("created", s.created());
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> a : s.annotations().entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static State read(byte[] json) throws IOException {
        String ociVersion = null, id = null, status = null, bundle = null, rootfs = null, created = null;
        int pid = 0;
        long initStartTime = 0;
        Map<String, String> annotations = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "ociVersion" -> ociVersion = p.getValueAsString();
                    case "id" -> id = p.getValueAsString();
                    case "status" -> status = p.getValueAsString();
                    case "pid" -> pid = p.getIntValue();
                    case "initStartTime" -> initStartTime = p.getLongValue();
                    case "bundle" -> bundle = p.getValueAsString();
                    case "rootfs" -> rootfs = p.getValueAsString();
                    case "created" -> created = p.getValueAsString();
                    case "annotations" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new JsonParseException(p, "annotations is not an object");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) {
                                throw new JsonParseException(p, "annotation \"" + key + "\" is not a string");
                            }
                            annotations.put(key, p.getText());
                        }
                    }
                    default -> p.skipChildren(); // a field of a later version: kept out, not an error
                }
            }
            if (id == null || status == null) {
                throw new JsonParseException(p, "no " + (id == null ? "id" : "status"));
            }
            try {
                return new State(ociVersion, id, Status.fromOci(status), pid, initStartTime, bundle, rootfs, created,
                        annotations);
            } catch (IllegalArgumentException e) {
                throw new JsonParseException(p, "unknown status \"" + status + "\"");
            }
        }
    }

    /** Maps, lists, strings and numbers (as {@link State#toOci} makes them) as indented JSON: what state and list print. */
    public static String pretty(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof String s) {
            g.writeString(s);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }
}
