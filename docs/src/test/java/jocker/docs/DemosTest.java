package jocker.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demos the README shows are the chapters' own: `bin/demo STEP` runs the
 * transcripts that the chapter's "What you will see" includes (and that
 * TranscriptIT re-runs), and the output the README prints for step 1 is that
 * transcript, word for word.
 */
class DemosTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path CHAPTERS = REPO.resolve("docs/src/docs/asciidoc");
    private static final Pattern DEMO = Pattern.compile("`bin/demo(?: (step\\d\\d))?`");
    private static final Pattern INCLUDE = Pattern.compile("include::\\{examples}/([a-z0-9-]+)\\.txt\\[]");

    /** The transcripts included by a chapter's "What you will see" section. */
    static List<String> shownFirst(String chapter) {
        String section = Adoc.section(chapter, "What you will see");
        assertTrue(section != null, "no \"What you will see\" section");
        return Adoc.firstGroups(INCLUDE, section);
    }

    static List<String> demoTranscripts(String step) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "bin/demo", "--transcripts", step).directory(REPO.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "bin/demo --transcripts " + step + ": " + out);
        return List.of(out.split("\\s+"));
    }

    @Test
    void everyDemoTheReadmeNamesRunsItsChaptersFirstSection() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        Set<String> steps = new LinkedHashSet<>();
        Matcher m = DEMO.matcher(readme);
        while (m.find()) {
            steps.add(m.group(1) == null ? "step01" : m.group(1));
        }
        assertTrue(steps.containsAll(List.of("step01", "step02", "step03", "step04", "step05", "step06", "step07")), "the README names the demos " + steps);
        for (String step : steps) {
            Path chapter;
            try (Stream<Path> files = Files.list(CHAPTERS)) {
                chapter = files.filter(f -> f.getFileName().toString().startsWith(step.substring(4) + "-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no chapter for " + step));
            }
            assertEquals(shownFirst(Files.readString(chapter)), demoTranscripts(step),
                    "bin/demo " + step + " must run what " + chapter.getFileName() + " shows first");
        }
    }

    @Test
    void theReadmeShowsStepOnesDemoAsItsTranscriptHasIt() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        int shows = readme.indexOf("`bin/demo` shows");
        assertTrue(shows >= 0, "the README no longer says what bin/demo shows");
        int open = readme.indexOf("```\n", shows) + 4;
        int close = readme.indexOf("```\n", open);
        assertEquals(Files.readString(CHAPTERS.resolve("examples/step01-demo.txt")), readme.substring(open, close));
    }

    @Test
    void aStepWithoutADemoIsRefusedInOneLine() throws Exception {
        Process p = new ProcessBuilder("bash", "bin/demo", "step09").directory(REPO.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor());
        assertEquals("demo: no demo for \"step09\": step01, step02, step03, step04, step05, step06 or step07\n", out);
    }
}
