package jocker.sys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The runtime's one Jackson mapper. Made at its first use, so that a verb
 * that reads and writes no JSON never loads Jackson (making a mapper costs
 * a short-lived JVM some 30 ms); and one for all, so that each class's
 * serializer is worked out once per run, not once per mapper.
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** The mapper's writer with indented output: what the user reads (state, list --format json, config.json). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
}
