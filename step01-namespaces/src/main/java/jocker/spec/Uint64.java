package jocker.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * JSON numbers that are unsigned 64-bit in the OCI spec (rlimits), held in a
 * Java long: 18446744073709551615 ("unlimited", RLIM_INFINITY) is -1 here.
 */
final class Uint64 {
    private Uint64() {}

    static final class Reader extends StdDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Long) ctx.handleUnexpectedToken(Long.class, p);
            }
            String text = p.getText();
            try {
                return Long.parseUnsignedLong(text);
            } catch (NumberFormatException e) {
                throw ctx.weirdStringException(text, Long.class, "not an unsigned 64-bit integer");
            }
        }
    }

    static final class Writer extends StdSerializer<Long> {
        private static final long serialVersionUID = 1L;

        Writer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeNumber(Long.toUnsignedString(value));
        }
    }
}
