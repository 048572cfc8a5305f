package jocker.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test (or class of tests) that needs root: it starts real containers.
 * Skipped when not root, unless -Djocker.test.requireRoot=true (as CI and
 * bin/test as root set it), in which case not being root fails it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(RequiresRoot.class)
public @interface RootTest {
}
