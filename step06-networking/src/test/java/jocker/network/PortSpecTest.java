package jocker.network;

import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** -p words as docker reads them (go-connections' ParsePortSpec), and its errors. */
class PortSpecTest {
    @Test
    void theFormsOfAPublishedPort() {
        assertEquals(List.of(new PortSpec("tcp", "0.0.0.0", 0, 0, 80)), PortSpec.parse("80"));
        assertEquals(List.of(new PortSpec("tcp", "0.0.0.0", 8080, 8080, 80)), PortSpec.parse("8080:80"));
        assertEquals(List.of(new PortSpec("udp", "127.0.0.1", 5353, 5353, 53)), PortSpec.parse("127.0.0.1:5353:53/udp"));
        assertEquals(List.of(new PortSpec("tcp", "127.0.0.1", 0, 0, 80)), PortSpec.parse("127.0.0.1::80"));
        assertEquals(List.of(new PortSpec("tcp", "0.0.0.0", 0, 0, 80)), PortSpec.parse("80/TCP"));
        assertEquals(List.of(new PortSpec("tcp", "0.0.0.0", 8000, 8000, 80), new PortSpec("tcp", "0.0.0.0", 8001, 8001, 81)),
                PortSpec.parse("8000-8001:80-81"));
        assertEquals(List.of(new PortSpec("tcp", "0.0.0.0", 8000, 8010, 80)), PortSpec.parse("8000-8010:80"),
                "one container port, a range of host ports: the first free one");
        assertEquals(2, PortSpec.parse("7000-7001").size());
    }

    @Test
    void dockersErrors() {
        assertEquals("no port specified: 8080:<empty>", error("8080:"));
        assertEquals("invalid proto: tcpx", error("80/tcpx"));
        assertEquals("invalid containerPort: 8o", error("8o"));
        assertEquals("invalid containerPort: 70000", error("70000"));
        assertEquals("invalid hostPort: x", error("x:80"));
        assertEquals("invalid IP address: 300.1.1.1", error("300.1.1.1:80:80"));
        assertEquals("invalid ranges specified for container and host Ports: 80-82 and 8000-8001", error("8000-8001:80-82"));
        assertEquals("invalid containerPort: 90-80", error("90-80"));
    }

    @Test
    void anImagesExposedPort() {
        assertEquals(new PortSpec("tcp", "0.0.0.0", 0, 0, 80), PortSpec.exposed("80/tcp"));
        assertEquals(new PortSpec("udp", "0.0.0.0", 0, 0, 53), PortSpec.exposed("53/udp"));
        assertEquals(new PortSpec("tcp", "0.0.0.0", 0, 0, 8080), PortSpec.exposed("8080"));
    }

    /** The error of a bad word (another exception, an unwritten exercise's TODO, goes through as it is). */
    private static String error(String word) {
        try {
            PortSpec.parse(word);
        } catch (JockerException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + word + ": " + PortSpec.parse(word));
    }
}
