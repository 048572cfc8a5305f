package jocker.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check behind {@link RootTest}. */
public final class RequiresRoot implements BeforeAllCallback, BeforeEachCallback {
    public static final String REQUIRE_PROPERTY = "jocker.test.requireRoot";

    @Override
    public void beforeAll(ExtensionContext context) {
        check();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        check();
    }

    private static void check() {
        if (isRoot()) {
            return;
        }
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new AssertionError("this test needs root, and " + REQUIRE_PROPERTY
                    + "=true forbids skipping it: run the tests as root");
        }
        Assumptions.abort("needs root (run the tests as root to include it)");
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        return false;
    }
}
