package jocker.dockerfile;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** buildkit's own parser cases: each Dockerfile parsed and dumped as buildkit dumps it. */
class ParserCasesTest {
    @TestFactory
    Stream<DynamicTest> everyCaseDumpsAsBuildkitDoes() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(SharedCases.dir().resolve("cases"))) {
            cases = s.filter(p -> Files.isRegularFile(p.resolve("result"))).sorted().toList();
        }
        assertTrue(cases.size() >= 30, "cases found: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
            String dockerfile = Files.readString(c.resolve("Dockerfile"), StandardCharsets.UTF_8);
            assertEquals(Files.readString(c.resolve("result"), StandardCharsets.UTF_8), dump(Parser.parse(dockerfile)));
        }));
    }

    static String dump(Parser.Result r) {
        StringBuilder s = new StringBuilder();
        for (Node n : r.instructions()) {
            s.append('(').append(n.dump()).append(")\n");
        }
        return s.toString();
    }
}
