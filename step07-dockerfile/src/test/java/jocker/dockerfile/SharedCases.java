package jocker.dockerfile;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where buildkit's parser and expansion cases are: ../shared/testdata beside
 * the checkout (third-party data, read at test time, never copied here).
 * Missing, it is an error, not a skip: CI has it.
 */
final class SharedCases {
    private SharedCases() {}

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/testdata/dockerfile-parser");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no shared/testdata/dockerfile-parser beside the checkout (above "
                + Path.of("").toAbsolutePath() + "): the parser's cases are read from there");
    }
}
