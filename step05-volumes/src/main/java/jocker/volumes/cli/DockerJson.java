package jocker.volumes.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import jocker.sys.Json;

import java.io.IOException;

/** JSON as docker's inspect commands print it (Go's MarshalIndent with four spaces): "key": value, {} and [] when empty. */
public final class DockerJson extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    private DockerJson() {
        _objectIndenter = new DefaultIndenter("    ", "\n");
        _arrayIndenter = _objectIndenter;
    }

    public static String write(Object value) throws IOException {
        return Json.MAPPER.writer(new DockerJson()).writeValueAsString(value);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
        return new DockerJson();
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        if (entries == 0) {
            _nesting--;
            g.writeRaw('}');
        } else {
            super.writeEndObject(g, entries);
        }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int entries) throws IOException {
        if (entries == 0) {
            _nesting--;
            g.writeRaw(']');
        } else {
            super.writeEndArray(g, entries);
        }
    }
}
