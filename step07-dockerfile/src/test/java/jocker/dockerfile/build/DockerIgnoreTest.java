package jocker.dockerfile.build;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .dockerignore by docker's rules (moby's patternmatcher). */
class DockerIgnoreTest {
    @Test
    void patternsExceptionsAndParents() {
        DockerIgnore d = DockerIgnore.parse("# comment\n*.md\n!README.md\n/build\n**/*.key\nsrc/*/tmp\n");
        assertTrue(d.excludes("notes.md"));
        assertFalse(d.excludes("README.md"), "! takes it back");
        assertFalse(d.excludes("docs/notes.md"), "* does not cross /");
        assertTrue(d.excludes("build"));
        assertTrue(d.excludes("build/out/a.o"), "what is below an excluded directory");
        assertTrue(d.excludes("a/b/c/secret.key"), "** crosses directories");
        assertTrue(d.excludes("secret.key"), "** matches none too");
        assertTrue(d.excludes("src/x/tmp/f"));
        assertFalse(d.excludes("src/x/y/tmp"));
        assertFalse(d.excludes("Dockerfile"));
    }

    @Test
    void theLastMatchingLineDecides() {
        DockerIgnore d = DockerIgnore.parse("data\n!data/keep\ndata/keep/no\n");
        assertTrue(d.excludes("data/a"));
        assertFalse(d.excludes("data/keep/yes"));
        assertTrue(d.excludes("data/keep/no"));
        assertTrue(d.hasExceptions());
        assertFalse(DockerIgnore.parse("a\n").hasExceptions());
        assertTrue(DockerIgnore.parse("./a/../b\n").excludes("b"), "patterns are cleaned");
        assertTrue(DockerIgnore.parse("fil?.txt\n[ab].c\n").excludes("b.c"));
    }
}
