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
            Path main = mainCheckout(p);
            if (main != null && Files.isDirectory(main.resolveSibling("shared/testdata/dockerfile-parser"))) {
                return main.resolveSibling("shared/testdata/dockerfile-parser"); // a git worktree (bin/learn, bin/check-exercises)
            }
        }
        throw new AssertionError("no shared/testdata/dockerfile-parser beside the checkout (above "
                + Path.of("").toAbsolutePath() + "): the parser's cases are read from there");
    }

    /** The main checkout of a git worktree whose root is dir (its .git file names it), or null. */
    private static Path mainCheckout(Path dir) {
        Path git = dir.resolve(".git");
        if (!Files.isRegularFile(git)) {
            return null;
        }
        try {
            String line = Files.readString(git).trim();
            int at = line.indexOf("/.git/");
            return line.startsWith("gitdir: ") && at > 0 ? Path.of(line.substring("gitdir: ".length(), at)) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
